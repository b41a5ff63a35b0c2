import "@patternfly/patternfly/patternfly-base.css";
import "./app.css";
import { createRoot } from "react-dom/client";
import { App } from "./ui/App";
import { followShellStyle } from "./ui/theme";
import { cockpit } from "./lib/cockpit";
import { loadHostIdentity } from "./session/saved";

/** The page waits this long at most for the host's identity before it restores what the browser kept. */
const IDENTITY_WAIT_MS = 2000;

document.addEventListener("DOMContentLoaded", () => {
    followShellStyle();
    // the shell follows the page's location (URL, back button) only once the page's channel is open
    cockpit().transport.wait(() => undefined);
    const el = document.getElementById("app");
    if (!el)
        return;
    // saved values are matched to this host by its machine-id: read it before anything is restored
    const wait = new Promise(resolve => setTimeout(resolve, IDENTITY_WAIT_MS));
    void Promise.race([loadHostIdentity(), wait]).then(() => createRoot(el).render(<App />));
});
