/* A React root in a fresh container for each test of a file (jsdom), unmounted after it; and a wait for React's work. */
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** Call at the top of a test file: its tests render into `root`, and look in `container`. */
export function rootPerTest(): { readonly root: Root; readonly container: HTMLElement } {
    let root: Root;
    let container: HTMLElement;
    beforeEach(() => {
        container = document.createElement("div");
        document.body.appendChild(container);
        root = createRoot(container);
    });
    afterEach(() => {
        act(() => root.unmount());
        container.remove();
    });
    return { get root() { return root }, get container() { return container } };
}

/** Lets pending promises and effects run. */
export const settle = () => act(() => new Promise(resolve => setTimeout(resolve, 0)));
