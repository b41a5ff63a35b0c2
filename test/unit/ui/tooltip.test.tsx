/**
 * @jest-environment jsdom
 */
/*
 * The page's Tooltip (src/ui/Tooltip.tsx), which PatternFly's components get in place of theirs (build.js; the
 * jest config maps it the same way): ClipboardCopy's button says what it does on hover and that it copied on click,
 * goes away with Escape or when the pointer leaves, and sits above its trigger, or below when there is no room.
 */
import { act } from "react";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { Tooltip } from "../../../src/ui/Tooltip";
import { rootPerTest } from "./dom-root";

const dom = rootPerTest();
beforeEach(() => { jest.useFakeTimers() });
afterEach(() => { jest.useRealTimers(); jest.restoreAllMocks() });

const tooltip = () => document.querySelector("[role=tooltip]");
const wait = (ms: number) => act(() => { jest.advanceTimersByTime(ms) });
const fire = (el: Element, type: string) => act(() => { el.dispatchEvent(new Event(type, { bubbles: type === "click" })) });
const rect = (top: number, left: number, height: number, width: number) =>
    ({ top, left, height, width, bottom: top + height, right: left + width, x: left, y: top, toJSON: () => "" });

function renderCopy() {
    act(() => dom.root.render(<ClipboardCopy isReadOnly hoverTip="Copy to clipboard" clickTip="Successfully copied">virsh list --all</ClipboardCopy>));
    return dom.container.querySelector("button") as HTMLButtonElement;
}

test("ClipboardCopy's button: its tooltip on hover after PatternFly's delay, 'copied' on click, gone when the pointer leaves", () => {
    Object.assign(navigator, { clipboard: { writeText: () => Promise.resolve() } });
    const button = renderCopy();
    fire(button, "mouseenter");
    wait(100);
    expect(tooltip()).toBeNull();
    wait(300);
    expect(tooltip()?.textContent).toBe("Copy to clipboard");
    expect(tooltip()?.className).toMatch(/pf-v6-c-tooltip/);
    fire(button, "click");
    expect(tooltip()?.textContent).toBe("Successfully copied");
    fire(button, "mouseleave");
    wait(2000);
    expect(tooltip()).toBeNull();
    // once hidden, ClipboardCopy goes back to its hover text
    fire(button, "mouseenter");
    wait(300);
    expect(tooltip()?.textContent).toBe("Copy to clipboard");
});

test("a click before the hover delay is over says 'copied' at once, and a render meanwhile loses no show or hide", () => {
    Object.assign(navigator, { clipboard: { writeText: () => Promise.resolve() } });
    const button = renderCopy();
    fire(button, "mouseenter");
    wait(100);
    fire(button, "click");
    wait(0);
    expect(tooltip()?.textContent).toBe("Successfully copied");
    fire(button, "mouseleave");
    // ClipboardCopy renders again (a new triggerRef each time) while the hide waits
    renderCopy();
    wait(2000);
    expect(tooltip()).toBeNull();
    fire(button, "mouseenter");
    wait(300);
    expect(tooltip()?.textContent).toBe("Copy to clipboard");
});

test("the pointer moved from the trigger onto the tooltip keeps it, to be read; leaving both hides it", () => {
    act(() => dom.root.render(<Tooltip content="ovs-vsctl add-port br0 enp225s0f0r1"><span>ovs-vsctl add-port br0 enp…</span></Tooltip>));
    const span = dom.container.querySelector("span") as HTMLElement;
    fire(span, "mouseenter");
    wait(300);
    fire(span, "mouseleave");
    const box = (tooltip() as HTMLElement).parentElement as HTMLElement;
    fire(box, "mouseenter");
    wait(1000);
    expect(tooltip()?.textContent).toBe("ovs-vsctl add-port br0 enp225s0f0r1");
    fire(box, "mouseleave");
    wait(300);
    expect(tooltip()).toBeNull();
});

test("Escape hides it; focus shows it, for keyboard users", () => {
    const button = renderCopy();
    fire(button, "focus");
    wait(300);
    expect(tooltip()).not.toBeNull();
    act(() => { document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" })) });
    wait(0);
    expect(tooltip()).toBeNull();
});

test("above its trigger, its arrow on the trigger's middle; below it when the trigger is at the top of the window", () => {
    const place = (top: number) => {
        jest.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockImplementation(function (this: HTMLElement) {
            return (this.tagName === "H1" ? rect(top, 100, 20, 200) : rect(0, 0, 40, 120)) as DOMRect;
        });
        act(() => dom.root.render(<Tooltip content="The whole title" isVisible key={top}><h1>The whole…</h1></Tooltip>));
        wait(0);
        const h1 = dom.container.querySelector("h1") as HTMLElement;
        const box = (tooltip() as HTMLElement).parentElement as HTMLElement;
        return { cls: tooltip()?.className, top: box.style.top, left: box.style.left, arrow: (tooltip()?.firstChild as HTMLElement).style.left,
                 describedBy: h1.getAttribute("aria-describedby") === tooltip()?.id };
    };
    expect(place(300)).toEqual({ cls: "pf-v6-c-tooltip pf-m-top", top: "245px", left: "140px", arrow: "60px", describedBy: true });
    expect(place(10)).toEqual({ cls: "pf-v6-c-tooltip pf-m-bottom", top: "45px", left: "140px", arrow: "60px", describedBy: true });
});
