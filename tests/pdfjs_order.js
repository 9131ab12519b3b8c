// pdfjs_order: what PDF.js (the reader inside Firefox) reads on each page,
// in the order it extracts the text (getTextContent, the order of the
// content stream). Usage: node tests/pdfjs_order.js PDFJS FILE.pdf...
// with PDFJS the path of PDF.js's build/pdf.js; every FILE.pdf has its
// layout dump beside it (FILE.dump, from informe render --dump-layout).
//
// On every page:
// - the footer line (the one holding "Página N de M") and the header line
//   (the topmost) come after all the page's other text;
// - every number the layout drew as a run of its own (a table cell, a
//   chart's value or tick) is an item of its own at the same place, not
//   glued to a label beside it.
"use strict";
const fs = require("fs");
const pdfjs = require(process.argv[2]);

const numeric = /^[-−]?[0-9.]+(,[0-9]+)?( ?%)?$/;

function dumpPages(path) {
    const pages = [];
    for (const line of fs.readFileSync(path, "utf8").split("\n")) {
        let m = /^page (\d+) ([0-9.]+)x([0-9.]+)/.exec(line);
        if (m) {
            pages.push({ height: +m[3], runs: [] });
            continue;
        }
        m = /^text ([0-9.-]+) ([0-9.-]+) \S+ \S+ \S+ w=\S+ "(.*)"$/.exec(line);
        if (m && pages.length)
            pages[pages.length - 1].runs.push({
                x: +m[1], y: +m[2], text: JSON.parse('"' + m[3] + '"'),
            });
    }
    return pages;
}

async function check(file) {
    const errors = [];
    const dump = dumpPages(file.replace(/\.pdf$/, ".dump"));
    const doc = await pdfjs.getDocument({
        data: new Uint8Array(fs.readFileSync(file)),
    }).promise;
    if (doc.numPages !== dump.length)
        errors.push(`${doc.numPages} páginas, el volcado tiene ${dump.length}`);
    for (let n = 1; n <= doc.numPages && n <= dump.length; n++) {
        const page = await doc.getPage(n);
        const items = (await page.getTextContent()).items
            .filter((it) => it.str.trim() !== "")
            .map((it) => ({ str: it.str, x: it.transform[4], y: it.transform[5] }));
        const footer = `Página ${n} de ${doc.numPages}`;
        const f = items.find((it) => it.str.trim() === footer);
        if (!f) {
            errors.push(`página ${n}: no hay un elemento '${footer}'`);
            continue;
        }
        const top = Math.max(...items.map((it) => it.y));
        const band = (it) =>
            Math.abs(it.y - f.y) < 0.5 || Math.abs(it.y - top) < 0.5;
        const lastBody = items.map(band).lastIndexOf(false);
        const firstBand = items.map(band).indexOf(true);
        if (lastBody < 0)
            errors.push(`página ${n}: sin texto fuera del encabezado y el pie`);
        else if (firstBand < lastBody)
            errors.push(`página ${n}: '${items[firstBand].str}' (encabezado ` +
                `o pie) se lee antes que '${items[lastBody].str}'`);
        const height = dump[n - 1].height;
        for (const r of dump[n - 1].runs) {
            const t = r.text.trim();
            if (!numeric.test(t))
                continue;
            const own = items.some((it) => it.str.trim() === t &&
                Math.abs(it.x - r.x) < 1 && Math.abs(it.y - (height - r.y)) < 1);
            if (!own)
                errors.push(`página ${n}: el número '${t}' en ` +
                    `(${r.x}, ${r.y}) no es un elemento aparte`);
        }
    }
    return errors;
}

(async () => {
    let failed = 0;
    for (const file of process.argv.slice(3)) {
        const errors = await check(file);
        for (const e of errors.slice(0, 20))
            console.error(`pdfjs: ${file}: ${e}`);
        if (errors.length)
            failed++;
        else
            console.log(`pdfjs: ${file}: orden y números bien`);
    }
    process.exit(failed ? 1 : 0);
})().catch((e) => {
    console.error(`pdfjs: ${e.stack || e}`);
    process.exit(1);
});
