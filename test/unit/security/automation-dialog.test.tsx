/**
 * @jest-environment jsdom
 */
/* The automation-script dialog with a host whose facts cannot make a script (no ConnectX-7, no PF interface):
 * the dialog says why, the page stays, and the other host's script is still there. */
import { TextEncoder } from "util";
import { act } from "react";
import { createRoot } from "react-dom/client";
import { AutomationScriptButton, type ScriptHost } from "../../../src/ui/wizard/AutomationScriptButton";
import { k } from "../checks/fixtures";
import { ctxOf, fresh, freshNic } from "../steps/fixtures";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// what Node has and jsdom's window does not
globalThis.structuredClone ??= <T, >(v: T): T => JSON.parse(JSON.stringify(v)) as T;
globalThis.TextEncoder ??= TextEncoder;

// the unit tests do not transform ES modules: PatternFly's CommonJS build of the same components
jest.mock("@patternfly/react-core/dist/esm/components/Alert/index.js", () => jest.requireActual("@patternfly/react-core/dist/js/components/Alert/index.js"));
jest.mock("@patternfly/react-core/dist/esm/components/Button/index.js", () => jest.requireActual("@patternfly/react-core/dist/js/components/Button/index.js"));
jest.mock("@patternfly/react-core/dist/esm/components/Modal/index.js", () => jest.requireActual("@patternfly/react-core/dist/js/components/Modal/index.js"));
jest.mock("@patternfly/react-core/dist/esm/components/Tabs/index.js", () => jest.requireActual("@patternfly/react-core/dist/js/components/Tabs/index.js"));
jest.mock("@patternfly/react-core/dist/esm/components/TextArea/index.js", () => jest.requireActual("@patternfly/react-core/dist/js/components/TextArea/index.js"));
jest.mock("@patternfly/react-core/dist/esm/components/ToggleGroup/index.js", () => jest.requireActual("@patternfly/react-core/dist/js/components/ToggleGroup/index.js"));
jest.mock("@patternfly/react-icons/dist/esm/icons/check-icon.js", () => jest.requireActual("@patternfly/react-icons/dist/js/icons/check-icon.js"));
jest.mock("@patternfly/react-icons/dist/esm/icons/copy-icon.js", () => jest.requireActual("@patternfly/react-icons/dist/js/icons/copy-icon.js"));

function open(hosts: ScriptHost[]): HTMLElement {
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    act(() => createRoot(root).render(<AutomationScriptButton hosts={hosts} />));
    act(() => (document.getElementById("vfm-automation-open") as HTMLButtonElement).click());
    return root;
}

const source: ScriptHost = { role: "source", label: "This host (rhel-src)", ctx: ctxOf(fresh()) };

describe("the automation-script dialog with missing facts", () => {
    test("a destination whose PF shows no network interface: a message in the dialog, the page still there", () => {
        const dst: ScriptHost = { role: "destination", label: "rhel-dst", ctx: ctxOf(fresh({ nics: k([freshNic({ netdev: null })]) }), "destination") };
        const root = open([source, dst]);
        expect(root.querySelector("#vfm-automation-open")).not.toBeNull();
        act(() => (document.getElementById("vfm-automation-host-destination") as HTMLButtonElement).click());
        expect(document.getElementById("vfm-automation-error")?.textContent).toContain(
            "The automation script for rhel-dst cannot be made: The adapter 0000:e1:00.0 shows no network interface");
        expect(document.getElementById("vfm-automation-text")).toBeNull();
        // the source's script is still there
        act(() => (document.getElementById("vfm-automation-host-source") as HTMLButtonElement).click());
        expect((document.getElementById("vfm-automation-text") as HTMLTextAreaElement).value).toContain("prepare_source() {");
    });

    test("a host without a ConnectX-7: the dialog says so", () => {
        const none: ScriptHost = { role: "destination", label: "rhel-dst", ctx: ctxOf(fresh({ nics: k([]) }), "destination") };
        open([none]);
        expect(document.getElementById("vfm-automation-error")?.textContent).toContain("No ConnectX-7 adapter was found on this host");
        expect((document.getElementById("vfm-automation-copy") as HTMLButtonElement).disabled).toBe(true);
    });
});
