# Reads a --dump-layout of US Letter pages with 2 cm margins and checks
# that every item lies in the text area, that the items of a figure (from
# its caption, "Figura ..." or "(continúa)", to the next caption or a
# "FIN" paragraph) lie below the caption's top and that no block starts
# above the bottom of the figure before it. Prints a summary; exits 1 on
# the first kind of failure found.
function box(x0, y0, x1, y1, line) {
    items++
    if (line ~ /nan|inf/) { bad["no es un número"]++; print "no es un número: " line }
    if (x0 < 56.67 || x1 > 555.33 || y0 < 56.67 || y1 > 735.33) {
        bad["fuera del área"]++
        if (bad["fuera del área"] <= 3) print "fuera del área: " line
    }
    if (y0 < top - 0.02) {
        bad["sobre su título"]++
        if (bad["sobre su título"] <= 3) print "sobre su título: " line
    }
    if (y1 > bottom) bottom = y1
}
$1 == "page" { pages++; top = 56.69; bottom = 56.69; next }
$1 == "text" {
    w = substr($7, 3) + 0
    q = index($0, "\"")
    t = substr($0, q + 1)
    if (t ~ /^(Figura|\(continúa\)|FIN)/) {
        if ($3 - $5 < bottom - 0.02) {
            bad["encima de la figura anterior"]++
            print "encima de la figura anterior: " $0
        }
        top = $3 - $5
        if (t ~ /continúa/) cont++
        else if (t ~ /^Figura/) figures++
    }
    box($2, $3 - $5, $2 + w, $3, $0)
    next
}
$1 == "rect" { box($2, $3, $2 + $4, $3 + $5, $0); next }
$1 == "line" {
    box($2 < $4 ? $2 : $4, $3 < $5 ? $3 : $5, $2 > $4 ? $2 : $4,
        $3 > $5 ? $3 : $5, $0)
    next
}
END {
    printf "páginas: %d, figuras: %d, continuaciones: %d, elementos: %s\n",
        pages, figures, cont, (items > 0 ? "sí" : "no")
    n = 0
    for (k in bad) { printf "falla: %s (%d)\n", k, bad[k]; n++ }
    if (n == 0) print "todo dentro de su recuadro y de la página"
    exit n > 0
}
