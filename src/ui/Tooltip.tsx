/*
 * PatternFly's Tooltip places itself with Popper, which is 11 KB of the gzipped bundle (docs/performance.md,
 * "Bundle"). build.js gives PatternFly's own components this one instead: the same markup and classes, above its
 * trigger (below it when there is no room above), for the tooltips this page shows: ClipboardCopy's "Copy to
 * clipboard" and "Successfully copied", and the whole text of a label or modal title that is cut short.
 */
import { cloneElement, useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState, type ReactElement, type ReactNode, type RefObject } from "react";
import { createPortal } from "react-dom";
import "@patternfly/react-styles/css/components/Tooltip/tooltip.css";

/** ClipboardCopy reads `TooltipPosition.top` for its default; this tooltip takes the top, or the bottom. */
export const TooltipPosition = { top: "top", bottom: "bottom" };

interface TooltipProps {
    content: ReactNode;
    children?: ReactElement;
    triggerRef?: RefObject<HTMLElement> | (() => HTMLElement);
    isVisible?: boolean;
    trigger?: string;
    entryDelay?: number;
    exitDelay?: number;
    maxWidth?: string;
    aria?: "describedby" | "labelledby" | "none";
    "aria-live"?: "off" | "polite";
    onTooltipHidden?: () => void;
}

interface Place { left: number; top: number; arrow: number; below: boolean }

let nextId = 1;
const GAP = 15; // PatternFly's distance from the trigger

export function Tooltip({
    content, children, triggerRef, isVisible = false, trigger = "mouseenter focus", entryDelay = 300, exitDelay = 300,
    maxWidth, aria = "describedby", "aria-live": ariaLive = triggerRef ? "polite" : "off", onTooltipHidden,
}: TooltipProps) {
    const [id] = useState(() => `pf-tooltip-${nextId++}`);
    const [shown, setShown] = useState(false);
    const [place, setPlace] = useState<Place | null>(null);
    const own = useRef<HTMLElement | null>(null);
    const tip = useRef<HTMLDivElement>(null);
    const timer = useRef<number>();
    const isShown = useRef(false);
    // what the listeners read when an event comes: ClipboardCopy makes a new triggerRef at every render
    const latest = useRef({ triggerRef, trigger, entryDelay, exitDelay, onTooltipHidden });
    latest.current = { triggerRef, trigger, entryDelay, exitDelay, onTooltipHidden };
    const set = useCallback((to: boolean, ms = 0) => {
        clearTimeout(timer.current);
        timer.current = window.setTimeout(() => {
            if (isShown.current !== to) {
                isShown.current = to;
                setShown(to);
                if (!to)
                    latest.current.onTooltipHidden?.();
            }
        }, ms);
    }, []);
    const target = useCallback((): HTMLElement | null => {
        const t = latest.current.triggerRef;
        return (typeof t === "function" ? t() : t?.current) ?? own.current;
    }, []);
    const enter = useCallback(() => set(true, latest.current.entryDelay), [set]);
    const leave = useCallback(() => set(false, latest.current.exitDelay), [set]);

    useEffect(() => set(isVisible), [isVisible, set]);
    // the trigger's listeners, moved when the trigger element changes; the timer goes with the tooltip
    const attached = useRef<{ el: HTMLElement; off: () => void } | null>(null);
    useEffect(() => {
        const el = target();
        if (el === (attached.current?.el ?? null))
            return;
        attached.current?.off();
        attached.current = null;
        if (!el)
            return;
        const on: [string, () => void][] = [];
        if (trigger.includes("mouseenter"))
            on.push(["mouseenter", enter], ["mouseleave", leave]);
        if (trigger.includes("focus"))
            on.push(["focus", enter], ["blur", leave]);
        if (trigger.includes("click"))
            on.push(["click", () => set(true)]);
        on.forEach(([type, fn]) => el.addEventListener(type, fn));
        attached.current = { el, off: () => on.forEach(([type, fn]) => el.removeEventListener(type, fn)) };
    });
    useEffect(() => () => {
        attached.current?.off();
        clearTimeout(timer.current);
    }, []);
    // while shown: Escape hides it, it follows its trigger when the page scrolls, and the pointer on it keeps it
    const [scrolls, moved] = useReducer((n: number) => n + 1, 0);
    useEffect(() => {
        const box = tip.current?.parentElement;
        if (!shown || !box)
            return;
        const escape = (e: KeyboardEvent) => { if (e.key === "Escape") set(false) };
        const hover = latest.current.trigger.includes("mouseenter");
        const stay = () => set(true);
        document.addEventListener("keydown", escape);
        window.addEventListener("scroll", moved, true);
        if (hover) {
            box.addEventListener("mouseenter", stay);
            box.addEventListener("mouseleave", leave);
        }
        return () => {
            document.removeEventListener("keydown", escape);
            window.removeEventListener("scroll", moved, true);
            box.removeEventListener("mouseenter", stay);
            box.removeEventListener("mouseleave", leave);
        };
    }, [shown, set, leave]);
    // the trigger names the tooltip while it is shown, as PatternFly's does (unless it already names another)
    useEffect(() => {
        const el = target(), attr = `aria-${aria}`;
        if (!shown || aria === "none" || !el || el.hasAttribute(attr))
            return;
        el.setAttribute(attr, id);
        return () => el.removeAttribute(attr);
    }, [shown, aria, id, target]);
    useLayoutEffect(() => {
        const el = target();
        if (!shown || !el || !tip.current) {
            setPlace(null);
            return;
        }
        const at = el.getBoundingClientRect(), size = tip.current.getBoundingClientRect();
        const below = at.top < size.height + GAP;
        const left = Math.max(0, Math.min(window.innerWidth - size.width, at.left + (at.width - size.width) / 2));
        const p = { left, top: below ? at.bottom + GAP : at.top - size.height - GAP, arrow: at.left + at.width / 2 - left, below };
        if (JSON.stringify(p) !== JSON.stringify(place))
            setPlace(p);
    }, [shown, content, place, target, scrolls]);

    const ref = (node: HTMLElement | null) => {
        own.current = node;
        const theirs = (children as { ref?: unknown } | undefined)?.ref;
        if (typeof theirs === "function")
            theirs(node);
        else if (theirs && typeof theirs === "object")
            (theirs as { current: unknown }).current = node;
    };
    return (
        <>
            {children && (triggerRef ? children : cloneElement(children, { ref }))}
            {shown && createPortal(
                <div style={{ position: "fixed", zIndex: 9999, left: place?.left ?? 0, top: place?.top ?? 0, visibility: place ? undefined : "hidden" }}>
                    <div ref={tip} id={id} role="tooltip" aria-live={ariaLive} style={{ maxWidth }}
                         className={`pf-v6-c-tooltip ${place?.below ? "pf-m-bottom" : "pf-m-top"}`}>
                        <div className="pf-v6-c-tooltip__arrow" style={place ? { left: place.arrow } : undefined} />
                        <div className="pf-v6-c-tooltip__content">{content}</div>
                    </div>
                </div>, document.body)}
        </>
    );
}
