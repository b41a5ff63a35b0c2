import "@patternfly/patternfly/patternfly-base.css";
import "./app.css";
import { createRoot } from "react-dom/client";
import { App } from "./ui/App";
import { followShellStyle } from "./ui/theme";

document.addEventListener("DOMContentLoaded", () => {
    followShellStyle();
    const el = document.getElementById("app");
    if (el)
        createRoot(el).render(<App />);
});
