# bash completion for informe(1); installed as
# share/bash-completion/completions/informe.
#
# The commands and each command's options are read from informe's own
# help (`informe --help`, `informe ORDEN --help`), so this file does not
# drift from the command line; --limit names come from the limits listed
# by `informe --help`, --set names from the `params:` of the template
# already on the line.

# The informe to ask: the one being completed when it can be run.
_informe_bin()
{
    local b=${COMP_WORDS[0]}
    if [[ $b == */* && -x $b ]] || type -P "$b" >/dev/null 2>&1; then
        printf '%s\n' "$b"
    else
        printf 'informe\n'
    fi
}

# The commands, from the usage lines ("informe render ...").
_informe_commands()
{
    "$(_informe_bin)" --help 2>/dev/null |
        sed -n 's/^[[:space:]]*\(uso:\)\{0,1\}[[:space:]]*informe \([a-z][a-z]*\) .*/\2/p' |
        sort -u
}

# Every option of a command (-d, --data, ...), from its help.
_informe_options()
{
    "$(_informe_bin)" "$1" --help 2>/dev/null |
        grep -o -- '\(^\|[[ ,]\)--\{0,1\}[a-z][a-z-]*' |
        sed 's/^[[ ,]//' | grep -- '^-' | sort -u
}

# The limits' names, from "Límites" in `informe --help` ("  rows=...").
_informe_limits()
{
    "$(_informe_bin)" --help 2>/dev/null |
        sed -n 's/^  \([a-z_][a-z_]*\)=.*/\1/p'
}

# The parameter names of a template: the keys one level under a
# top-level `params:` written as a block.
_informe_params()
{
    [[ -r $1 ]] || return
    awk '
        /^params:[ \t]*(#.*)?$/ { inside = 1; next }
        inside && /^[^ \t#]/ { inside = 0 }
        inside && match($0, /^ +[A-Za-z_][A-Za-z0-9_]*:/) {
            n = RLENGTH; s = substr($0, 1, n - 1)
            sub(/^ +/, "", s)
            ind = n - 1 - length(s)
            if (!first) first = ind
            if (ind == first) print s
        }' "$1" 2>/dev/null
}

_informe()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W \
            "$(_informe_commands) --help --version" -- "$cur")
        return
    fi
    local cmd=${COMP_WORDS[1]}
    case $prev in
    -d | --data | --fonts | --allow-path)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return
        ;;
    -o | --output)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -X '!*.pdf' -- "$cur";
            compgen -d -- "$cur")
        return
        ;;
    --limit)
        compopt -o nospace 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -S = -W "$(_informe_limits)" -- "$cur")
        return
        ;;
    --set)
        local i tmpl=""
        for ((i = 2; i < COMP_CWORD; i++)); do
            case ${COMP_WORDS[i]} in
            *.yaml | *.yml) tmpl=${COMP_WORDS[i]} ;;
            esac
        done
        compopt -o nospace 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -S = -W "$(_informe_params "$tmpl")" \
            -- "$cur")
        return
        ;;
    --burst-by | --shard | -j | --jobs | --type | --rows | --delimiter)
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_informe_options "$cmd")" \
            -- "$cur")
        return
    fi
    compopt -o filenames 2>/dev/null
    case $cmd in
    render | check)
        mapfile -t COMPREPLY < <(compgen -f -X '!*.yaml' -- "$cur";
            compgen -f -X '!*.yml' -- "$cur";
            compgen -d -- "$cur")
        ;;
    inspect)
        mapfile -t COMPREPLY < <(compgen -f -X '!*.csv' -- "$cur";
            compgen -f -X '!*.CSV' -- "$cur";
            compgen -d -- "$cur")
        ;;
    *)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        ;;
    esac
}

complete -F _informe informe
