/*
 * The simulated pair as the migration tests and benchmark use it: guest1 with a VF, moved by the wizard or by an
 * admin's `virsh migrate`, and a watch that checks only one copy of the VM runs at any time.
 * Hosts: source rhel-src.example.test (VF 0000:e1:00.1), destination rhel-dst.example.test (VF 0000:c1:00.1).
 */
const { spawnSync } = require("child_process");
const path = require("path");
const { loadScenario } = require("./simpair");
const oneCopy = require("../lib/one-copy");

const simhost = path.join(__dirname, "..", "simhost");
const EXEC = path.join(simhost, "exec");
const VM = "guest1";
const MAC = "52:54:00:4d:16:01";
const HOSTNAME = { source: "rhel-src.example.test", destination: "rhel-dst.example.test" };
const VF = { source: { pci: "0000:e1:00.1", bus: "0xe1" }, destination: { pci: "0000:c1:00.1", bus: "0xc1" } };
const other = h => (h === "source" ? "destination" : "source");

function run(host, argv, input, timeout = 180000) {
    const r = spawnSync(EXEC, [host, ...argv], { encoding: "utf8", input, timeout });
    return { stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : ""), status: r.status };
}

function ok(host, argv, input, timeout) {
    const r = run(host, argv, input, timeout);
    if (r.status !== 0)
        throw new Error(`${host}: ${argv.join(" ")} exited ${r.status}\n${r.stdout}${r.stderr}`);
    return r.stdout;
}

/** A file inside a host (virsh cannot read /dev/stdin here: spawnSync's stdin is a socket, and open() of one fails). */
const put = (host, file, content) => ok(host, ["tee", file], content);

const virsh = (host, ...args) => ok(host, ["virsh", "-c", "qemu:///system", ...args]);
const names = text => text.split("\n").map(s => s.trim()).filter(Boolean);
const runningOn = host => names(virsh(host, "list", "--state-running", "--name"));
const activeOn = host => names(virsh(host, "list", "--name"));
const definedOn = host => names(virsh(host, "list", "--all", "--name"));

/** The VF's driver on a host, "" when bound to none. */
function driverOf(host) {
    const out = ok(host, ["readlink", "-f", `/sys/bus/pci/devices/${VF[host].pci}/driver`]).trim();
    const base = out.split("/").pop();
    return base === "driver" ? "" : base;
}

/** A hostdev interface naming VF 0000:<host's bus>:00.<fn> (fn 1: the pair's own VF). */
function interfaceXml(host, mac = MAC, fn = 1) {
    return `<interface type='hostdev' managed='yes'>\n  <mac address='${mac}'/>\n  <source>\n` +
        `    <address type='pci' domain='0x0000' bus='${VF[host].bus}' slot='0x00' function='0x${fn}'/>\n  </source>\n</interface>\n`;
}

/** A small test guest (128 MiB, dirtying 1 MiB/s) defined and started on `host` with VF function `fn` of its adapter (none: null). */
function startGuestWithVf(host, name, fn, mac) {
    const domain = spawnSync(path.join(simhost, "guest", "domain-xml"), [name, "128", "1", path.join(simhost, "passthrough", "qemu-vf-wrapper")],
                             { encoding: "utf8" }).stdout;
    put(host, `/tmp/vfm-${name}.xml`, fn === null ? domain : domain.replace("</devices>", interfaceXml(host, mac, fn) + "</devices>"));
    virsh(host, "define", "--file", `/tmp/vfm-${name}.xml`);
    virsh(host, "start", name);
}

const addressOn = host => `bus='${VF[host].bus}' slot='0x00' function='0x1'`;

/** Adds each host's keys to the other's root known_hosts (libvirt's p2p ssh and the page's ssh need them). */
function trustHostKeys() {
    const saved = ["source", "destination"].map(h => [h, run(h, ["cat", "/root/.ssh/known_hosts"])]);
    for (const h of ["source", "destination"]) {
        const keys = ok(h, ["ssh-keyscan", "-T", "5", HOSTNAME[other(h)]]);
        ok(h, ["tee", "-a", "/root/.ssh/known_hosts"], keys);
    }
    return () => {
        for (const [h, r] of saved) {
            if (r.status === 0)
                ok(h, ["tee", "/root/.ssh/known_hosts"], r.stdout);
            else
                run(h, ["rm", "-f", "/root/.ssh/known_hosts"]);
        }
    };
}

/** What an admin types to move the VM with its VF: XML naming the other host's VF, persistent, undefined at the source. */
function virshMigrateArgv(from, extra = []) {
    const to = other(from);
    return ["virsh", "-c", "qemu:///system", "migrate", "--live", "--p2p", "--abort-on-error", "--persistent", "--undefinesource",
        "--domain", VM, "--desturi", `qemu+ssh://root@${HOSTNAME[to]}/system`, "--xml", "/tmp/vfm-dest.xml",
        "--persistent-xml", "/tmp/vfm-persist.xml", ...extra];
}

function writeMigrationXml(from) {
    const to = other(from);
    for (const [file, inactive] of [["/tmp/vfm-dest.xml", false], ["/tmp/vfm-persist.xml", true]]) {
        const xml = virsh(from, "dumpxml", "--migratable", ...(inactive ? ["--inactive"] : []), VM);
        if (xml.split(addressOn(from)).length !== 2)
            throw new Error(`${from}: ${VM}'s XML does not name ${VF[from].pci} once`);
        put(from, file, xml.replace(addressOn(from), addressOn(to)));
    }
}

/** Both hosts of the pair, for the one-copy watch (test/lib/one-copy.js). */
const PAIR_WATCH = { vms: [VM], hosts: { source: [EXEC, "source"], destination: [EXEC, "destination"] } };

function virshMigrate(from, extra = []) {
    writeMigrationXml(from);
    oneCopy.withOneCopy(PAIR_WATCH, () => ok(from, virshMigrateArgv(from, extra)));
}

/** The source's VF with the driver model that opts out of libvirt's variant driver (plain vfio-pci). */
const PLAIN_VFIO_XML = "/tmp/vfm-plain-vf.xml";
const plainVfioXml = () => interfaceXml("source").replace("</interface>", "  <driver name='vfio' model='vfio-pci'/>\n</interface>");

/** guest1 restarted on the source holding its VF through plain vfio-pci, as an admin may have attached it by hand. */
function guestOnSourceWithPlainVfioVf() {
    guestOnSourceWithVf();
    virsh("source", "destroy", VM);
    put("source", "/tmp/vfm-vf.xml", interfaceXml("source"));
    virsh("source", "detach-device", "--domain", VM, "--file", "/tmp/vfm-vf.xml", "--config");
    put("source", PLAIN_VFIO_XML, plainVfioXml());
    virsh("source", "attach-device", "--domain", VM, "--file", PLAIN_VFIO_XML, "--config");
    virsh("source", "start", VM);
}

/** guest1 running on the source with the VF attached (live and persistent), however the last test left it. */
function guestOnSourceWithVf() {
    removeIntruder();
    if (activeOn("destination").includes(VM))
        virshMigrate("destination");
    if (definedOn("source").includes(VM) && virsh("source", "dumpxml", "--inactive", VM).includes("model='vfio-pci'")) {
        if (activeOn("source").includes(VM))
            virsh("source", "destroy", VM);
        put("source", PLAIN_VFIO_XML, plainVfioXml());
        virsh("source", "detach-device", "--domain", VM, "--file", PLAIN_VFIO_XML, "--config");
    }
    if (!activeOn("source").includes(VM))
        virsh("source", "start", VM);
    if (!virsh("source", "dumpxml", VM).includes("type='hostdev'")) {
        put("source", "/tmp/vfm-vf.xml", interfaceXml("source"));
        virsh("source", "attach-device", "--domain", VM, "--file", "/tmp/vfm-vf.xml", "--live", "--config");
    }
}

/** A second VM on the destination that takes the destination's VF (the "taken after the checks" case). */
const INTRUDER = "intruder";
function startIntruder() {
    const domain = spawnSync(path.join(simhost, "guest", "domain-xml"), [INTRUDER, "128", "1", path.join(simhost, "passthrough", "qemu-vf-wrapper")],
                             { encoding: "utf8" }).stdout;
    const xml = domain.replace("</devices>", interfaceXml("destination", "52:54:00:4d:16:02") + "</devices>");
    put("destination", "/tmp/vfm-intruder.xml", xml);
    virsh("destination", "define", "--file", "/tmp/vfm-intruder.xml");
    virsh("destination", "start", INTRUDER);
}

function removeIntruder() {
    if (activeOn("destination").includes(INTRUDER))
        virsh("destination", "destroy", INTRUDER);
    if (definedOn("destination").includes(INTRUDER)) {
        virsh("destination", "undefine", INTRUDER);
        // libvirt gave the VF back to mlx5_core: unbound again, as ready-pair prepares it
        if (driverOf("destination") === "mlx5_core")
            ok("destination", ["tee", "/sys/bus/pci/drivers/mlx5_core/unbind"], VF.destination.pci);
    }
}

/** The MACs of a domain XML's hostdev interfaces. */
const hostdevMacs = xml => [...xml.matchAll(/<interface type='hostdev'[^]*?<mac address='([0-9a-f:]+)'/g)].map(m => m[1]);

/** ready-pair as `up` leaves it: guest1 on the source without a VF, the VFs unbound and migratable. */
function backToReadyPair() {
    if (activeOn("destination").includes(VM))
        virshMigrate("destination");
    if (!definedOn("source").includes(VM))
        throw new Error("guest1 is defined on neither host");
    // whichever MAC it was attached with (the tests' own, or one the wizard chose)
    for (const mac of hostdevMacs(virsh("source", "dumpxml", "--inactive", VM)))
        virsh("source", "detach-interface", "--domain", VM, "--type", "hostdev", "--mac", mac, "--config");
    if (virsh("source", "dumpxml", VM).includes("type='hostdev'") && activeOn("source").includes(VM))
        virsh("source", "destroy", VM);
    if (!activeOn("source").includes(VM))
        virsh("source", "start", VM);
    loadScenario("ready-pair");
}

/** The wizard state the earlier stages leave when they hand over to the migration. */
/** The wizard's state at its migrate stage on `from`'s own page, towards the other host. */
function wizardState(options = {}, from = "source") {
    const to = other(from);
    return {
        stage: "migrate", vm: VM, destination: { host: HOSTNAME[to], user: "root", protocol: "ssh" },
        options, destinationVf: VF[to].pci, sourceVf: VF[from].pci,
    };
}

/** Samples both hosts from now on (test/lib/one-copy.js); `await w.stop()` gives { samples, violations, … }. */
const watchOneCopy = () => oneCopy.watchOneCopy(PAIR_WATCH);

module.exports = {
    VM, MAC, VF, HOSTNAME, run, ok, virsh, runningOn, activeOn, definedOn, driverOf, interfaceXml, startGuestWithVf, addressOn, trustHostKeys,
    guestOnSourceWithPlainVfioVf,
    virshMigrate, virshMigrateArgv, startIntruder, removeIntruder, writeMigrationXml, guestOnSourceWithVf, backToReadyPair, wizardState, watchOneCopy, PAIR_WATCH,
};
