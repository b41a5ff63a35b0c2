/*
 * Follows the shell's light/dark choice, as Cockpit's own pages do: the shell stores it in localStorage
 * ("shell:style": light, dark or auto) and every page sets PatternFly's dark class on <html> to match.
 */
import "./looks.css";

const DARK = "pf-v6-theme-dark";

function apply(): void {
    const style = localStorage.getItem("shell:style") || "auto";
    const dark = style === "dark" || (style === "auto" && window.matchMedia?.("(prefers-color-scheme: dark)").matches);
    document.documentElement.classList.toggle(DARK, !!dark);
}

export function followShellStyle(): void {
    apply();
    window.addEventListener("storage", ev => { if (ev.key === "shell:style") apply() });
    window.matchMedia?.("(prefers-color-scheme: dark)").addEventListener("change", apply);
}
