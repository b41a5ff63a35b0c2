/**
 * `virsh dumpxml <vm>` (and a lone <interface> as written for attach-device): what the status page and the
 * migration need — name, uuid, vIOMMU (forbidden with a Mellanox VF), VF interfaces (<interface type='hostdev'>)
 * and PCI <hostdev>s with their host PCI address, disks, the CPU mode/model.
 */
import { childElements, firstChild, textOf, XmlElement } from "./xml";
import { failAt, parseXmlOrFail, readPciAddress, yesNo } from "./libvirt-xml-common";

export interface DomainInterface {
    type: string;
    mac?: string;
    /** managed='yes' (libvirt binds the VFIO driver itself); undefined when not written. */
    managed?: boolean;
    /** Host PCI address of a hostdev interface's VF: "0000:e1:00.1". */
    sourcePci?: string;
    /** <source network|bridge|dev=...> for other interface types. */
    source?: Record<string, string>;
    driverName?: string;
    /** <driver model='mlx5_vfio_pci'/> (libvirt >= 10.0: forces the variant driver). */
    driverModel?: string;
    modelType?: string;
    alias?: string;
    /** The guest-side PCI slot: "0000:00:06.0". */
    guestPci?: string;
    line: number;
}

export interface DomainHostdev {
    mode: string;
    type: string;
    managed?: boolean;
    sourcePci?: string;
    driverName?: string;
    driverModel?: string;
    alias?: string;
    guestPci?: string;
    line: number;
}

export interface DomainDisk {
    type?: string;
    device?: string;
    sourceFile?: string;
    sourceDev?: string;
    sourceNetwork?: { protocol?: string; name?: string; hosts: { name?: string; port?: string }[] };
    sourcePool?: { pool?: string; volume?: string };
    targetDev?: string;
    targetBus?: string;
    driverType?: string;
    cache?: string;
    readonly: boolean;
    shareable: boolean;
}

export interface DomainViommu {
    /** <iommu model=...>, or the QEMU device name's prefix ("intel" for -device intel-iommu). */
    model?: string;
    /** Where it was found: the <iommu> element, or a -device in <qemu:commandline> passthrough. */
    source: "element" | "qemu-commandline";
    line: number;
}

export interface DomainXml {
    name: string;
    uuid?: string;
    /** <domain type='kvm'> */
    type?: string;
    /** A running domain's id attribute. */
    id?: number;
    /** <devices><iommu> present: no live migration with a Mellanox VF. */
    viommu?: DomainViommu;
    /** <features><ioapic driver='qemu'/>, usually paired with an intel vIOMMU. */
    ioapicDriver?: string;
    interfaces: DomainInterface[];
    hostdevs: DomainHostdev[];
    disks: DomainDisk[];
    cpu?: { mode?: string; model?: string; match?: string; fallback?: string };
}

function guestPci(src: string, el: XmlElement): string | undefined {
    const a = firstChild(el, "address");
    return a && a.attrs.type === "pci" ? readPciAddress(src, a) : undefined;
}

/** driver, alias, guest address and managed=, shared by <interface> and <hostdev>. */
function deviceCommon(src: string, el: XmlElement) {
    const out: { driverName?: string; driverModel?: string; alias?: string; guestPci?: string; managed?: boolean } = {};
    const driver = firstChild(el, "driver");
    if (driver?.attrs.name !== undefined) out.driverName = driver.attrs.name;
    if (driver?.attrs.model !== undefined) out.driverModel = driver.attrs.model;
    const alias = firstChild(el, "alias")?.attrs.name;
    if (alias !== undefined) out.alias = alias;
    const g = guestPci(src, el);
    if (g !== undefined) out.guestPci = g;
    const managed = yesNo(src, el, "managed");
    if (managed !== undefined) out.managed = managed;
    return out;
}

function sourcePci(src: string, el: XmlElement, required: boolean): string | undefined {
    const source = firstChild(el, "source");
    const addr = source && firstChild(source, "address");
    if (!addr) {
        if (required)
            failAt(src, el, `<${el.name} type='${el.attrs.type}'> has no <source><address .../></source>`);
        return undefined;
    }
    return readPciAddress(src, addr);
}

export function readInterface(src: string, el: XmlElement): DomainInterface {
    const type = el.attrs.type;
    if (type === undefined)
        failAt(src, el, "<interface> without type=");
    const out: DomainInterface = { type, line: el.line, ...deviceCommon(src, el) };
    const mac = firstChild(el, "mac")?.attrs.address;
    if (mac !== undefined) out.mac = mac.toLowerCase();
    const model = firstChild(el, "model")?.attrs.type;
    if (model !== undefined) out.modelType = model;
    if (type === "hostdev") {
        out.sourcePci = sourcePci(src, el, true);
    } else {
        const s = firstChild(el, "source");
        if (s) out.source = { ...s.attrs };
    }
    return out;
}

function readHostdev(src: string, el: XmlElement): DomainHostdev {
    const out: DomainHostdev = { mode: el.attrs.mode ?? "subsystem", type: el.attrs.type ?? "", line: el.line, ...deviceCommon(src, el) };
    if (out.mode === "subsystem" && out.type === "pci")
        out.sourcePci = sourcePci(src, el, true);
    return out;
}

function readDisk(el: XmlElement): DomainDisk {
    const d: DomainDisk = { readonly: !!firstChild(el, "readonly"), shareable: !!firstChild(el, "shareable") };
    if (el.attrs.type !== undefined) d.type = el.attrs.type;
    if (el.attrs.device !== undefined) d.device = el.attrs.device;
    const s = firstChild(el, "source");
    if (s?.attrs.file !== undefined) d.sourceFile = s.attrs.file;
    if (s?.attrs.dev !== undefined) d.sourceDev = s.attrs.dev;
    if (s && el.attrs.type === "network")
        d.sourceNetwork = {
            ...(s.attrs.protocol !== undefined ? { protocol: s.attrs.protocol } : {}),
            ...(s.attrs.name !== undefined ? { name: s.attrs.name } : {}),
            hosts: childElements(s, "host").map(h => ({
                ...(h.attrs.name !== undefined ? { name: h.attrs.name } : {}),
                ...(h.attrs.port !== undefined ? { port: h.attrs.port } : {}),
            })),
        };
    if (s && el.attrs.type === "volume")
        d.sourcePool = {
            ...(s.attrs.pool !== undefined ? { pool: s.attrs.pool } : {}),
            ...(s.attrs.volume !== undefined ? { volume: s.attrs.volume } : {}),
        };
    const t = firstChild(el, "target");
    if (t?.attrs.dev !== undefined) d.targetDev = t.attrs.dev;
    if (t?.attrs.bus !== undefined) d.targetBus = t.attrs.bus;
    const drv = firstChild(el, "driver");
    if (drv?.attrs.type !== undefined) d.driverType = drv.attrs.type;
    if (drv?.attrs.cache !== undefined) d.cache = drv.attrs.cache;
    return d;
}

export function parseDomainXml(src: string): DomainXml {
    const root = parseXmlOrFail(src);
    if (root.name !== "domain")
        failAt(src, root, `root element is <${root.name}>, expected <domain>`);
    const nameEl = firstChild(root, "name");
    if (!nameEl)
        failAt(src, root, "<domain> has no <name>");
    const out: DomainXml = { name: textOf(nameEl), interfaces: [], hostdevs: [], disks: [] };
    const uuid = firstChild(root, "uuid");
    if (uuid) out.uuid = textOf(uuid).trim().toLowerCase();
    if (root.attrs.type !== undefined) out.type = root.attrs.type;
    if (root.attrs.id !== undefined && /^[0-9]+$/.test(root.attrs.id)) out.id = Number(root.attrs.id);
    const features = firstChild(root, "features");
    const ioapic = features && firstChild(features, "ioapic");
    if (ioapic?.attrs.driver !== undefined) out.ioapicDriver = ioapic.attrs.driver;
    const cpu = firstChild(root, "cpu");
    if (cpu) {
        out.cpu = {};
        const model = firstChild(cpu, "model");
        if (cpu.attrs.mode !== undefined) out.cpu.mode = cpu.attrs.mode;
        if (cpu.attrs.match !== undefined) out.cpu.match = cpu.attrs.match;
        if (model) out.cpu.model = textOf(model).trim();
        if (model?.attrs.fallback !== undefined) out.cpu.fallback = model.attrs.fallback;
    }
    for (const devices of childElements(root, "devices")) {
        for (const el of childElements(devices)) {
            if (el.name === "interface") out.interfaces.push(readInterface(src, el));
            else if (el.name === "hostdev") out.hostdevs.push(readHostdev(src, el));
            else if (el.name === "disk") out.disks.push(readDisk(el));
            else if (el.name === "iommu" && !out.viommu)
                out.viommu = { source: "element", line: el.line, ...(el.attrs.model !== undefined ? { model: el.attrs.model } : {}) };
        }
    }
    if (!out.viommu)
        out.viommu = commandlineViommu(root);
    if (!out.viommu)
        delete out.viommu;
    return out;
}

/** `-device intel-iommu,...` (also amd-iommu, virtio-iommu) passed through <qemu:commandline><qemu:arg value=.../>. */
function commandlineViommu(root: XmlElement): DomainViommu | undefined {
    for (const cl of childElements(root).filter(e => e.name.endsWith(":commandline")))
        for (const arg of childElements(cl).filter(e => e.name.endsWith(":arg"))) {
            const m = /^(intel|amd|virtio)-iommu\b/.exec(arg.attrs.value ?? "");
            if (m)
                return { model: m[1], source: "qemu-commandline", line: arg.line };
        }
    return undefined;
}

/** The VF interfaces: type='hostdev' with a PCI source. */
export function hostdevInterfaces(d: DomainXml): DomainInterface[] {
    return d.interfaces.filter(i => i.type === "hostdev");
}

/** The host PCI addresses of its VF interfaces. */
export const vfAddresses = (d: DomainXml): string[] =>
    hostdevInterfaces(d).map(i => i.sourcePci).filter((a): a is string => a !== undefined);

/** Every host PCI address the domain holds (VF interfaces and PCI hostdevs). */
export function assignedPciAddresses(d: DomainXml): string[] {
    return [...d.interfaces.map(i => i.sourcePci), ...d.hostdevs.map(h => h.sourcePci)]
        .filter((a): a is string => a !== undefined);
}
