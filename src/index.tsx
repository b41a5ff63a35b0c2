import "@patternfly/patternfly/patternfly-base.css";
import "./app.css";
import { createRoot } from "react-dom/client";
import { App, currentView } from "./ui/App";
import { followShellStyle } from "./ui/theme";
import { cockpit, followSuperuser, superuserNow } from "./lib/cockpit";
import { localModel } from "./session/hosts";
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
    // asked beside the host's identity: the first view reads this host as soon as it knows its access
    followSuperuser();
    // saved values are matched to this host by its machine-id: read it before anything is restored
    const wait = new Promise(resolve => setTimeout(resolve, IDENTITY_WAIT_MS));
    void Promise.race([loadHostIdentity(), wait]).then(() => {
        // the status view's read of this host leaves before the view is drawn: the drawing holds the page's thread,
        // and the probe's message with it (175 ms measured on the pair; the view takes this read: useHostModel)
        if (currentView() === "status" && superuserNow() === true)
            localModel().refresh({ superuser: true }).catch(() => {});
        createRoot(el).render(<App />);
    });
});
