/*
 * Cut-off checks for the looks tests: text an admin cannot read because the layout hides part of it.
 *
 *   const problems = await cutOffs(frame, { offScreen: true });   // [] when everything is readable
 *
 * Runs inside the plugin's frame and reports, with a selector-like path and the text concerned:
 * - "clipped": text that reaches past the box of an ancestor whose overflow is hidden/clipped or ends in an ellipsis
 *   (measured on the text itself, so a box wider inside than outside but with all its text shown is fine) — the end
 *   of a PCI address, a title or a command is not shown;
 * - "clipped-field": a read-only text field (PatternFly's ClipboardCopy keeps commands in one) whose value is wider
 *   than the field: the admin sees only its start;
 * - "off-screen" (with offScreen): text that starts or ends outside the frame horizontally, unless it is inside a
 *   code block the admin can scroll sideways (code, pre, raw output); text in another sideways-scrolling box counts
 *   too.
 */

/* global document, getComputedStyle, NodeFilter */
function findCutOffs(opts) {
    const problems = [];
    const frameWidth = document.documentElement.clientWidth;
    const path = el => {
        const parts = [];
        for (let e = el; e && e !== document.body && parts.length < 6; e = e.parentElement) {
            if (e.id) {
                parts.unshift(`#${e.id}`);
                if (e.id.startsWith("vfm-"))
                    break; // ours: stable and telling; PatternFly's generated ids are neither
                continue;
            }
            const cls = [...e.classList].filter(c => c.startsWith("vfm-") || c.startsWith("pf-v6-c-")).slice(0, 2);
            parts.unshift(e.tagName.toLowerCase() + cls.map(c => "." + c).join(""));
        }
        return parts.join(" > ");
    };
    const short = t => t.replace(/\s+/g, " ").trim().slice(0, 80);
    const shown = el => {
        const r = el.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1)
            return false; // hidden, or PatternFly's screen-reader-only text (1 px, clipped on purpose)
        const s = getComputedStyle(el);
        return s.visibility !== "hidden" && s.display !== "none";
    };
    // blocks whose content the admin can scroll sideways on purpose: code and raw output
    const CODE = "pre, code, .pf-v6-c-code-block, .vfm-evidence, .vfm-scroll-x";
    const scrollsSideways = el => getComputedStyle(el).overflowX === "auto" || getComputedStyle(el).overflowX === "scroll";

    // read-only fields: PatternFly's ClipboardCopy keeps a command in one, and a field never wraps
    for (const el of document.body.querySelectorAll("input, textarea")) {
        if (shown(el) && el.readOnly && el.scrollWidth > el.clientWidth + 1)
            problems.push({ kind: "clipped-field", where: path(el), text: short(el.value), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth });
    }

    // every piece of text: is all of it inside the boxes that clip it, and inside the frame?
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!node.textContent.trim() || !parent || !shown(parent) || parent.closest("script, style, template"))
            continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        // the words only: spaces kept by pre-wrap hang past the line's end without being drawn
        let left = Infinity;
        let right = -Infinity;
        for (const m of node.textContent.matchAll(/\S+/g)) {
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            for (const q of range.getClientRects()) {
                left = Math.min(left, q.left);
                right = Math.max(right, q.right);
            }
        }
        if (right <= left)
            continue;
        const r = { left, right };
        let clippedBy = null;
        let scroller = null;
        for (let a = parent; a && a !== document.documentElement; a = a.parentElement) {
            const s = getComputedStyle(a);
            if (scrollsSideways(a)) {
                scroller = a;
                break;
            }
            if (["hidden", "clip"].includes(s.overflowX) || s.textOverflow === "ellipsis") {
                const box = a.getBoundingClientRect();
                const left = box.left + a.clientLeft;
                const right = left + a.clientWidth;
                if (r.left < left - 1 || r.right > right + 1) {
                    clippedBy = a;
                    break;
                }
            }
        }
        let problem = null;
        if (clippedBy)
            problem = { kind: "clipped", where: path(clippedBy), text: short(node.textContent), textRight: Math.round(r.right), boxRight: Math.round(clippedBy.getBoundingClientRect().left + clippedBy.clientLeft + clippedBy.clientWidth) };
        else if (scroller && !scroller.matches(CODE) && !scroller.closest(CODE) && (r.right > frameWidth + 1 || r.left < -1))
            problem = { kind: "off-screen", where: path(parent), text: short(node.textContent), left: Math.round(r.left), right: Math.round(r.right), frameWidth, scroller: path(scroller) };
        else if (!scroller && opts.offScreen && (r.right > frameWidth + 1 || r.left < -1))
            problem = { kind: "off-screen", where: path(parent), text: short(node.textContent), left: Math.round(r.left), right: Math.round(r.right), frameWidth };
        if (!problem && scroller && opts.offScreen) {
            // a scrollable block is fine only if the block itself is on screen
            const box = scroller.getBoundingClientRect();
            if (box.right > frameWidth + 1 || box.left < -1)
                problem = { kind: "off-screen", where: path(scroller), text: short(node.textContent), left: Math.round(box.left), right: Math.round(box.right), frameWidth };
        }
        if (problem && !seen.has(problem.where + problem.text)) {
            seen.add(problem.where + problem.text);
            problems.push(problem);
        }
    }
    return problems;
}

/** The cut-offs in a frame (playwright Frame). `offScreen` also reports text outside the frame's width. */
async function cutOffs(frame, { offScreen = false } = {}) {
    return frame.evaluate(findCutOffs, { offScreen });
}

/** The page's own horizontal scroll: a frame whose document is wider than the frame. */
async function frameScrollsSideways(frame) {
    return frame.evaluate(() => {
        const s = document.scrollingElement;
        return s.scrollWidth > s.clientWidth + 1 ? { scrollWidth: s.scrollWidth, clientWidth: s.clientWidth } : null;
    });
}

module.exports = { cutOffs, frameScrollsSideways };
