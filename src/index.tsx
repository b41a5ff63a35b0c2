import "@patternfly/patternfly/patternfly-base.css";
import "./app.css";
import { createRoot } from "react-dom/client";
import { App } from "./ui/App";
import { followShellStyle } from "./ui/theme";
import { cockpit } from "./lib/cockpit";

document.addEventListener("DOMContentLoaded", () => {
    followShellStyle();
    // the shell follows the page's location (URL, back button) only once the page's channel is open
    cockpit().transport.wait(() => undefined);
    const el = document.getElementById("app");
    if (el)
        createRoot(el).render(<App />);
});
