/*
 * The floor of test/bench/status-page.js: the least a Cockpit page that reads a host must cost here. Three root
 * spawns and one libvirt D-Bus call, as the status page makes (its probe is one spawn of many commands), all at
 * once; when all have answered, <body data-done> says so. Not part of the plugin: installed on the simulated pair
 * only (test/simhost/lib/prepare-host.sh), with no menu entry.
 */
/* global cockpit, document */
const spawn = argv => cockpit.spawn(argv, { superuser: "try", err: "message" });
const libvirt = cockpit.dbus("org.libvirt", { bus: "system", superuser: "try" });
Promise.all([
    spawn(["uname", "-r"]),
    spawn(["cat", "/proc/cmdline"]),
    spawn(["ip", "-j", "link", "show"]),
    libvirt.call("/org/libvirt/QEMU", "org.libvirt.Connect", "ListDomains", [0]),
]).then(r => {
    document.getElementById("floor").textContent = `${r[3][0].length} domains; kernel ${r[0].trim()}`;
    document.body.dataset.done = "ok";
}, e => {
    document.getElementById("floor").textContent = String(e.message || e);
    document.body.dataset.done = "failed";
});
