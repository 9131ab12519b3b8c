/* rx: regular expressions compiled into a Thompson NFA, run as a Pike VM
 * (see rx.h for the syntax and which match is found). */
#include "lang/rx.h"

#include <stdint.h>
#include <string.h>

#include "base/limits.h"
#include "base/utf8.h"

/* A malformed byte b of a subject or pattern is the character
 * RX_BAD + b, outside Unicode: only '.' and negated sets match it (and
 * the same malformed byte written in the pattern). */
#define RX_BAD 0x110000u
#define RX_NONE 0xFFFFFFFFu /* no character: before the start, at the end */
#define RX_INF UINT32_MAX

/* ---------------------------------------------------------------------
 * Character classes and sets */

enum cls {
    C_ALPHA,
    C_DIGIT,
    C_ALNUM,
    C_UPPER,
    C_LOWER,
    C_SPACE,
    C_BLANK,
    C_PUNCT,
    C_PRINT,
    C_GRAPH,
    C_CNTRL,
    C_XDIGIT,
    C_WORD,
    C_COUNT
};

static const char *const cls_names[C_COUNT] = {
    "alpha", "digit", "alnum", "upper", "lower",  "space", "blank",
    "punct", "print", "graph", "cntrl", "xdigit", NULL};

static bool latin1_upper(uint32_t c)
{
    return c >= 0xC0 && c <= 0xDE && c != 0xD7;
}

static bool latin1_lower(uint32_t c)
{
    return c >= 0xDF && c <= 0xFF && c != 0xF7;
}

static bool in_class(enum cls k, uint32_t c)
{
    bool up = (c >= 'A' && c <= 'Z') || latin1_upper(c);
    bool low = (c >= 'a' && c <= 'z') || latin1_lower(c);
    bool digit = c >= '0' && c <= '9';
    bool valid = c < RX_BAD;
    switch (k) {
    case C_ALPHA:
        return up || low;
    case C_DIGIT:
        return digit;
    case C_ALNUM:
        return up || low || digit;
    case C_UPPER:
        return up;
    case C_LOWER:
        return low;
    case C_SPACE:
        return c == ' ' || (c >= '\t' && c <= '\r');
    case C_BLANK:
        return c == ' ' || c == '\t';
    case C_PUNCT:
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
               (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    case C_PRINT:
        return (c >= ' ' && c <= '~') || (valid && c >= 0xA0);
    case C_GRAPH:
        return (c > ' ' && c <= '~') || (valid && c > 0xA0);
    case C_CNTRL:
        return c < ' ' || c == 0x7F;
    case C_XDIGIT:
        return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    case C_WORD:
        return up || low || digit || c == '_';
    case C_COUNT:
        break;
    }
    return false;
}

/* A bracket expression: ranges (lo, hi pairs) and classes. */
struct rx_set {
    bool neg;
    unsigned classes; /* bit 1 << enum cls */
    uint32_t *ranges;
    size_t nranges, cap;
};

static bool set_has(const struct rx_set *s, uint32_t c)
{
    bool in = false;
    for (size_t i = 0; !in && i < s->nranges; i++)
        in = s->ranges[2 * i] <= c && c <= s->ranges[2 * i + 1];
    for (unsigned k = 0; !in && k < C_COUNT; k++)
        in = (s->classes >> k & 1u) && in_class((enum cls)k, c);
    return in != s->neg;
}

/* ---------------------------------------------------------------------
 * Parsing into a tree */

enum nkind {
    N_EMPTY,
    N_CHAR,
    N_ANY,
    N_SET,
    N_ASSERT,
    N_CAT,
    N_ALT,
    N_GROUP,
    N_REPEAT
};

enum assertion { A_BOL, A_EOL, A_WORDB, A_NWORDB, A_WBEG, A_WEND };

struct node {
    enum nkind kind;
    uint32_t arg;       /* N_CHAR code point, N_SET index, N_ASSERT */
    uint32_t min, max;  /* N_REPEAT; max RX_INF: no bound */
    struct node *sub;   /* N_GROUP, N_REPEAT */
    struct node **kids; /* N_CAT, N_ALT */
    size_t nkids;
};

struct parser {
    struct arena *a;
    const char *p;
    size_t n, i;
    struct rx_error *err;
    unsigned groups; /* opened so far */
    size_t depth, max_depth;
    struct rx_set *sets;
    size_t nsets, capsets;
};

static bool fail(struct parser *ps, size_t off, const char *msg)
{
    ps->err->msg = msg;
    ps->err->off = off;
    ps->err->too_deep = false;
    return false;
}

static struct node *node(struct parser *ps, enum nkind k, uint32_t arg)
{
    struct node *nd = arena_alloc(ps->a, sizeof *nd);
    nd->kind = k;
    nd->arg = arg;
    return nd;
}

/* The code point at p[i] (a malformed byte: RX_BAD + byte). */
static uint32_t decode_at(const char *p, size_t n, size_t i, size_t *len)
{
    uint32_t c = utf8_decode(p + i, n - i, len);
    if (c == UTF8_BAD) {
        *len = 1;
        c = RX_BAD + (unsigned char)p[i];
    }
    return c;
}

static void add_range(struct parser *ps, struct rx_set *s, uint32_t lo,
                      uint32_t hi)
{
    s->ranges = arena_grow(ps->a, s->ranges, &s->cap, 2 * s->nranges + 2,
                           sizeof *s->ranges);
    s->ranges[2 * s->nranges] = lo;
    s->ranges[2 * s->nranges + 1] = hi;
    s->nranges++;
}

/* [.x.] or [=x=] at p[i] == '[': its one character, *end after it. */
static bool element(struct parser *ps, size_t i, uint32_t *c, size_t *end)
{
    char mark = ps->p[i + 1];
    size_t j = i + 2;
    while (j + 1 < ps->n && !(ps->p[j] == mark && ps->p[j + 1] == ']'))
        j++;
    if (j + 1 >= ps->n)
        return fail(ps, i, "falta el ']' que cierra este '['");
    size_t len = 0;
    if (j > i + 2)
        *c = decode_at(ps->p, j, i + 2, &len);
    if (j == i + 2 || i + 2 + len != j)
        return fail(ps, i,
                    "elemento de intercalación desconocido (solo se admite "
                    "un carácter, como [.-.])");
    *end = j + 2;
    return true;
}

static struct node *bracket(struct parser *ps)
{
    size_t open = ps->i, i = ps->i + 1, n = ps->n;
    const char *p = ps->p;
    struct rx_set s = {0};
    if (i < n && p[i] == '^') {
        s.neg = true;
        i++;
    }
    bool first = true;
    for (;;) {
        if (i >= n) {
            fail(ps, open, "falta el ']' que cierra este '['");
            return NULL;
        }
        if (p[i] == ']' && !first)
            break;
        first = false;
        uint32_t lo;
        size_t len;
        if (p[i] == '[' && i + 1 < n && p[i + 1] == ':') {
            size_t j = i + 2;
            while (j + 1 < n && !(p[j] == ':' && p[j + 1] == ']'))
                j++;
            if (j + 1 >= n) {
                fail(ps, open, "falta el ']' que cierra este '['");
                return NULL;
            }
            unsigned k = 0;
            while (k < C_WORD &&
                   !(strlen(cls_names[k]) == j - i - 2 &&
                     memcmp(cls_names[k], p + i + 2, j - i - 2) == 0))
                k++;
            if (k == C_WORD) {
                fail(ps, i,
                     "clase de caracteres desconocida (se admiten "
                     "[:alpha:], [:digit:], [:alnum:], [:upper:], "
                     "[:lower:], [:space:], [:blank:], [:punct:], "
                     "[:print:], [:graph:], [:cntrl:] y [:xdigit:])");
                return NULL;
            }
            s.classes |= 1u << k;
            i = j + 2;
            continue;
        }
        size_t at = i;
        if (p[i] == '[' && i + 1 < n && (p[i + 1] == '.' || p[i + 1] == '=')) {
            if (!element(ps, i, &lo, &i))
                return NULL;
        } else {
            lo = decode_at(p, n, i, &len);
            i += len;
        }
        uint32_t hi = lo;
        if (i + 1 < n && p[i] == '-' && p[i + 1] != ']') {
            i++;
            if (p[i] == '[' && i + 1 < n &&
                (p[i + 1] == '.' || p[i + 1] == '=')) {
                if (!element(ps, i, &hi, &i))
                    return NULL;
            } else {
                hi = decode_at(p, n, i, &len);
                i += len;
            }
            if (hi < lo) {
                fail(ps, at,
                     "el rango termina antes de empezar (como z-a): "
                     "escríbalo de menor a mayor");
                return NULL;
            }
        }
        add_range(ps, &s, lo, hi);
    }
    ps->i = i + 1;
    ps->sets = arena_grow(ps->a, ps->sets, &ps->capsets, ps->nsets + 1,
                          sizeof *ps->sets);
    ps->sets[ps->nsets] = s;
    return node(ps, N_SET, (uint32_t)ps->nsets++);
}

/* A set of one class (\w \W \s \S). */
static struct node *class_set(struct parser *ps, enum cls k, bool neg)
{
    ps->sets = arena_grow(ps->a, ps->sets, &ps->capsets, ps->nsets + 1,
                          sizeof *ps->sets);
    ps->sets[ps->nsets] = (struct rx_set){.neg = neg, .classes = 1u << k};
    return node(ps, N_SET, (uint32_t)ps->nsets++);
}

static struct node *alternation(struct parser *ps);

static bool is_repeat(char c)
{
    return c == '*' || c == '+' || c == '?' || c == '{';
}

static struct node *atom(struct parser *ps)
{
    const char *p = ps->p;
    size_t i = ps->i;
    size_t len;
    switch (p[i]) {
    case '(': {
        ps->i++;
        if (++ps->depth > ps->max_depth) {
            ps->err->msg = "";
            ps->err->off = i;
            ps->err->too_deep = true;
            return NULL;
        }
        struct node *g = node(ps, N_GROUP, ++ps->groups);
        g->sub = alternation(ps);
        if (!g->sub)
            return NULL;
        if (ps->i >= ps->n || p[ps->i] != ')') {
            fail(ps, i, "falta el ')' que cierra este '('");
            return NULL;
        }
        ps->i++;
        ps->depth--;
        return g;
    }
    case '*':
    case '+':
    case '?':
    case '{':
        fail(ps, i, "la repetición no sigue a nada que repetir");
        return NULL;
    case '^':
        ps->i++;
        return node(ps, N_ASSERT, A_BOL);
    case '$':
        ps->i++;
        return node(ps, N_ASSERT, A_EOL);
    case '.':
        ps->i++;
        return node(ps, N_ANY, 0);
    case '[':
        return bracket(ps);
    case '\\':
        if (i + 1 >= ps->n) {
            fail(ps, i, "termina en '\\' sin nada que escapar");
            return NULL;
        }
        ps->i += 2;
        switch (p[i + 1]) {
        case 'w':
            return class_set(ps, C_WORD, false);
        case 'W':
            return class_set(ps, C_WORD, true);
        case 's':
            return class_set(ps, C_SPACE, false);
        case 'S':
            return class_set(ps, C_SPACE, true);
        case 'b':
            return node(ps, N_ASSERT, A_WORDB);
        case 'B':
            return node(ps, N_ASSERT, A_NWORDB);
        case '<':
            return node(ps, N_ASSERT, A_WBEG);
        case '>':
            return node(ps, N_ASSERT, A_WEND);
        case '`':
            return node(ps, N_ASSERT, A_BOL);
        case '\'':
            return node(ps, N_ASSERT, A_EOL);
        default:
            if (p[i + 1] >= '1' && p[i + 1] <= '9') {
                fail(ps, i, "las referencias hacia atrás no se admiten");
                return NULL;
            }
            ps->i = i + 1;
            uint32_t c = decode_at(p, ps->n, i + 1, &len);
            ps->i = i + 1 + len;
            return node(ps, N_CHAR, c);
        }
    default: {
        uint32_t c = decode_at(p, ps->n, i, &len);
        ps->i = i + len;
        return node(ps, N_CHAR, c);
    }
    }
}

/* A decimal count of an interval, saturated far above any limit. */
static bool count(struct parser *ps, uint32_t *v)
{
    bool any = false;
    *v = 0;
    while (ps->i < ps->n && ps->p[ps->i] >= '0' && ps->p[ps->i] <= '9') {
        uint32_t d = (uint32_t)(ps->p[ps->i++] - '0');
        *v = *v > 100000000 ? *v : *v * 10 + d;
        any = true;
    }
    return any;
}

static struct node *piece(struct parser *ps)
{
    /* an anchor cannot be repeated (as in the C library) */
    bool anchor = ps->i < ps->n && (ps->p[ps->i] == '^' || ps->p[ps->i] == '$');
    struct node *nd = atom(ps);
    if (nd && anchor && ps->i < ps->n && is_repeat(ps->p[ps->i])) {
        fail(ps, ps->i, "la repetición no sigue a nada que repetir");
        return NULL;
    }
    size_t stacked = 0;
    while (nd && ps->i < ps->n && is_repeat(ps->p[ps->i])) {
        size_t at = ps->i;
        uint32_t min = 0, max = RX_INF;
        char c = ps->p[ps->i++];
        if (c == '+') {
            min = 1;
        } else if (c == '?') {
            max = 1;
        } else if (c == '{') {
            bool lo = count(ps, &min), hi = false;
            bool comma = ps->i < ps->n && ps->p[ps->i] == ',';
            if (comma) {
                ps->i++;
                hi = count(ps, &max);
                if (!hi)
                    max = RX_INF;
            } else {
                max = min;
            }
            if ((!lo && !hi) || ps->i >= ps->n || ps->p[ps->i] != '}' ||
                min > max) {
                fail(ps, at,
                     "intervalo de repetición inválido (se escribe {m}, "
                     "{m,} o {m,n} con m <= n)");
                return NULL;
            }
            ps->i++;
        }
        if (++stacked > ps->max_depth) {
            ps->err->msg = "";
            ps->err->off = at;
            ps->err->too_deep = true;
            return NULL;
        }
        struct node *r = node(ps, N_REPEAT, 0);
        r->min = min;
        r->max = max;
        r->sub = nd;
        nd = r;
    }
    return nd;
}

static struct node *concatenation(struct parser *ps)
{
    struct node *cat = node(ps, N_CAT, 0);
    size_t cap = 0;
    while (ps->i < ps->n && ps->p[ps->i] != '|' &&
           !(ps->p[ps->i] == ')' && ps->depth > 0)) {
        struct node *nd = piece(ps);
        if (!nd)
            return NULL;
        cat->kids = arena_grow(ps->a, cat->kids, &cap, cat->nkids + 1,
                               sizeof *cat->kids);
        cat->kids[cat->nkids++] = nd;
    }
    return cat;
}

static struct node *alternation(struct parser *ps)
{
    struct node *alt = node(ps, N_ALT, 0);
    size_t cap = 0;
    for (;;) {
        struct node *nd = concatenation(ps);
        if (!nd)
            return NULL;
        alt->kids = arena_grow(ps->a, alt->kids, &cap, alt->nkids + 1,
                               sizeof *alt->kids);
        alt->kids[alt->nkids++] = nd;
        if (ps->i >= ps->n || ps->p[ps->i] != '|')
            break;
        ps->i++;
    }
    return alt->nkids == 1 ? alt->kids[0] : alt;
}

/* ---------------------------------------------------------------------
 * The program */

enum op {
    OP_CHAR,
    OP_ANY,
    OP_SET,
    OP_ASSERT,
    OP_SPLIT,
    OP_JMP,
    OP_SAVE,
    OP_MATCH
};

struct inst {
    enum op op;
    uint32_t arg;  /* OP_CHAR, OP_SET, OP_ASSERT; OP_SAVE: capture slot */
    uint32_t x, y; /* OP_SPLIT: x preferred; OP_JMP: x */
};

/* A thread: where it is and its captures (match start, group 1). */
struct thread {
    uint32_t pc;
    size_t cap[3];
};

struct list {
    struct thread *t;
    size_t n;
};

/* A pending step of adding a thread: follow pc, or put back a capture. */
struct pending {
    uint32_t pc; /* RX_NONE: restore cap[slot] = val */
    uint32_t slot;
    size_t val;
};

struct rx {
    struct inst *prog;
    size_t len;
    struct rx_set *sets;
    struct list clist, nlist;
    uint32_t *mark; /* generation in which each pc was last added */
    uint32_t gen;
    struct pending *stack;
};

/* Instructions a tree compiles to, saturated at cap. */
static size_t size_of(const struct node *nd, size_t cap)
{
    size_t s = 0;
    switch (nd->kind) {
    case N_EMPTY:
        return 0;
    case N_CHAR:
    case N_ANY:
    case N_SET:
    case N_ASSERT:
        return 1;
    case N_GROUP:
        s = size_of(nd->sub, cap) + 2;
        break;
    case N_CAT:
    case N_ALT:
        for (size_t k = 0; k < nd->nkids && s < cap; k++)
            s += size_of(nd->kids[k], cap) + 2;
        break;
    case N_REPEAT: {
        size_t sub = size_of(nd->sub, cap) + 2;
        size_t copies = nd->max == RX_INF ? (size_t)nd->min + 1 : nd->max;
        s = copies && sub > cap / copies ? cap : sub * copies + 2;
        break;
    }
    }
    return s > cap ? cap : s;
}

static uint32_t emit(struct rx *re, enum op op, uint32_t arg)
{
    re->prog[re->len] = (struct inst){op, arg, 0, 0};
    return (uint32_t)re->len++;
}

static void gen(struct arena *a, struct rx *re, const struct node *nd)
{
    switch (nd->kind) {
    case N_EMPTY:
        break;
    case N_CHAR:
        emit(re, OP_CHAR, nd->arg);
        break;
    case N_ANY:
        emit(re, OP_ANY, 0);
        break;
    case N_SET:
        emit(re, OP_SET, nd->arg);
        break;
    case N_ASSERT:
        emit(re, OP_ASSERT, nd->arg);
        break;
    case N_CAT:
        for (size_t k = 0; k < nd->nkids; k++)
            gen(a, re, nd->kids[k]);
        break;
    case N_GROUP:
        if (nd->arg == 1)
            emit(re, OP_SAVE, 1);
        gen(a, re, nd->sub);
        if (nd->arg == 1)
            emit(re, OP_SAVE, 2);
        break;
    case N_ALT: {
        /* split L1, L2; L1: kid; jmp end; L2: split ...; last kid; end: */
        uint32_t *jumps = arena_array(a, nd->nkids, sizeof *jumps);
        for (size_t k = 0; k + 1 < nd->nkids; k++) {
            uint32_t s = emit(re, OP_SPLIT, 0);
            re->prog[s].x = s + 1;
            gen(a, re, nd->kids[k]);
            jumps[k] = emit(re, OP_JMP, 0);
            re->prog[s].y = jumps[k] + 1;
        }
        gen(a, re, nd->kids[nd->nkids - 1]);
        for (size_t k = 0; k + 1 < nd->nkids; k++)
            re->prog[jumps[k]].x = (uint32_t)re->len;
        break;
    }
    case N_REPEAT: {
        for (uint32_t k = 0; k < nd->min; k++)
            gen(a, re, nd->sub);
        if (nd->max == RX_INF) {
            /* L: split body, out; body: sub; jmp L; out: */
            uint32_t s = emit(re, OP_SPLIT, 0);
            re->prog[s].x = s + 1;
            gen(a, re, nd->sub);
            uint32_t j = emit(re, OP_JMP, 0);
            re->prog[j].x = s;
            re->prog[s].y = j + 1;
        } else if (nd->max > nd->min) {
            /* (sub(sub(...)?)?)?: each optional copy may end them all */
            size_t nopt = nd->max - nd->min;
            uint32_t *splits = arena_array(a, nopt, sizeof *splits);
            for (size_t k = 0; k < nopt; k++) {
                splits[k] = emit(re, OP_SPLIT, 0);
                re->prog[splits[k]].x = splits[k] + 1;
                gen(a, re, nd->sub);
            }
            for (size_t k = 0; k < nopt; k++)
                re->prog[splits[k]].y = (uint32_t)re->len;
        }
        break;
    }
    }
}

struct rx *rx_compile(struct arena *a, const char *pattern,
                      struct rx_error *err)
{
    struct parser ps = {.a = a,
                        .p = pattern,
                        .n = strlen(pattern),
                        .err = err,
                        .max_depth = (size_t)limit(LIMIT_EXPR_DEPTH)};
    struct node *root = alternation(&ps);
    if (!root)
        return NULL;
    if (ps.i < ps.n) {
        /* only an unmatched ')' stops the top level early */
        fail(&ps, ps.i, "sobra este ')': no cierra ningún '('");
        return NULL;
    }
    /* The size limits were checked on the text; the program is bounded
     * again here so that no pattern, however written, builds a huge one. */
    size_t cap = 8 * ((size_t)limit(LIMIT_REGEX_REPEAT) +
                      (size_t)limit(LIMIT_REGEX_LENGTH)) +
                 64;
    size_t size = size_of(root, cap) + 4;
    if (size >= cap) {
        fail(&ps, 0, "la expresión con sus repeticiones es demasiado grande");
        return NULL;
    }
    struct rx *re = arena_alloc(a, sizeof *re);
    re->prog = arena_array(a, size, sizeof *re->prog);
    re->sets = ps.sets;
    gen(a, re, root);
    emit(re, OP_MATCH, 0);
    re->clist.t = arena_array(a, re->len, sizeof *re->clist.t);
    re->nlist.t = arena_array(a, re->len, sizeof *re->nlist.t);
    re->mark = arena_array(a, re->len, sizeof *re->mark);
    re->stack = arena_array(a, re->len + 1, sizeof *re->stack);
    return re;
}

/* What an assertion needs: the characters around the position. */
struct ctx {
    uint32_t prev, next; /* RX_NONE at the start, at the end */
};

static bool holds(uint32_t kind, struct ctx c)
{
    bool wp = c.prev != RX_NONE && in_class(C_WORD, c.prev);
    bool wn = c.next != RX_NONE && in_class(C_WORD, c.next);
    switch ((enum assertion)kind) {
    case A_BOL:
        return c.prev == RX_NONE;
    case A_EOL:
        return c.next == RX_NONE;
    case A_WORDB:
        return wp != wn;
    case A_NWORDB:
        return wp == wn;
    case A_WBEG:
        return !wp && wn;
    case A_WEND:
        return wp && !wn;
    }
    return false;
}

/* Adds the thread at pc with captures cap to l, following jumps, splits
 * (preferred branch first), saves and assertions at once, each pc at most
 * once per generation: the first thread to reach a pc keeps it. */
static void add(struct rx *re, struct list *l, uint32_t pc0,
                const size_t cap0[3], size_t pos, struct ctx c)
{
    size_t cap[3] = {cap0[0], cap0[1], cap0[2]};
    size_t sp = 0;
    re->stack[sp++] = (struct pending){pc0, 0, 0};
    while (sp) {
        struct pending e = re->stack[--sp];
        if (e.pc == RX_NONE) {
            cap[e.slot] = e.val;
            continue;
        }
        uint32_t pc = e.pc;
        while (re->mark[pc] != re->gen) {
            re->mark[pc] = re->gen;
            const struct inst *in = &re->prog[pc];
            if (in->op == OP_JMP) {
                pc = in->x;
            } else if (in->op == OP_SPLIT) {
                re->stack[sp++] = (struct pending){in->y, 0, 0};
                pc = in->x;
            } else if (in->op == OP_SAVE) {
                re->stack[sp++] =
                    (struct pending){RX_NONE, in->arg, cap[in->arg]};
                cap[in->arg] = pos;
                pc++;
            } else if (in->op == OP_ASSERT) {
                if (!holds(in->arg, c))
                    break;
                pc++;
            } else {
                struct thread *t = &l->t[l->n++];
                t->pc = pc;
                memcpy(t->cap, cap, sizeof cap);
                break;
            }
        }
    }
}

static void next_gen(struct rx *re)
{
    if (++re->gen == 0) {
        memset(re->mark, 0, re->len * sizeof *re->mark);
        re->gen = 1;
    }
}

bool rx_match(struct rx *re, const char *s, size_t n, struct rx_span m[2])
{
    bool found = false;
    size_t best[3] = {0, 0, 0}, best_end = 0;
    size_t pos = 0, len = 0;
    uint32_t prev = RX_NONE;
    uint32_t cur = n ? decode_at(s, n, 0, &len) : RX_NONE;
    re->clist.n = 0;
    next_gen(re);
    for (;;) {
        if (!found) {
            size_t seed[3] = {pos, RX_UNSET, RX_UNSET};
            add(re, &re->clist, 0, seed, pos, (struct ctx){prev, cur});
        }
        if (re->clist.n == 0 && (found || pos >= n))
            break;
        size_t npos = pos + len, nlen = 0;
        uint32_t next = npos < n ? decode_at(s, n, npos, &nlen) : RX_NONE;
        struct ctx after = {cur, next};
        re->nlist.n = 0;
        next_gen(re);
        for (size_t k = 0; k < re->clist.n; k++) {
            const struct thread *t = &re->clist.t[k];
            if (found && t->cap[0] > best[0])
                continue; /* starts after the match found: not leftmost */
            const struct inst *in = &re->prog[t->pc];
            bool step = false;
            switch (in->op) {
            case OP_MATCH:
                if (!m)
                    return true;
                if (!found || t->cap[0] < best[0] ||
                    (t->cap[0] == best[0] && pos > best_end)) {
                    memcpy(best, t->cap, sizeof best);
                    best_end = pos;
                    found = true;
                }
                break;
            case OP_CHAR:
                step = cur == in->arg;
                break;
            case OP_ANY:
                step = cur != RX_NONE;
                break;
            case OP_SET:
                step = cur != RX_NONE && set_has(&re->sets[in->arg], cur);
                break;
            default:
                break;
            }
            if (step)
                add(re, &re->nlist, t->pc + 1, t->cap, npos, after);
        }
        struct list tmp = re->clist;
        re->clist = re->nlist;
        re->nlist = tmp;
        if (pos >= n)
            break;
        pos = npos;
        len = nlen;
        prev = cur;
        cur = next;
    }
    if (found && m) {
        m[0] = (struct rx_span){best[0], best_end};
        m[1] = (struct rx_span){best[1], best[2]};
        if (best[1] == RX_UNSET || best[2] == RX_UNSET)
            m[1] = (struct rx_span){RX_UNSET, RX_UNSET};
    }
    return found;
}
