/**
 * `virsh nodedev-dumpxml pci_0000_e1_00_1`: <device> with <name>, <path>, <parent>, <driver><name>, and
 * <capability type='pci'> holding DECIMAL <domain>/<bus>/<slot>/<function>, <product id='0x101e'>,
 * <vendor id='0x15b3'>, <capability type='phys_function'><address 0x-hex/></capability> (a VF),
 * <capability type='virt_functions'> (a PF), <iommuGroup number='N'>.
 */
import { childElements, firstChild, textOf, XmlElement } from "./xml";
import { failAt, parseXmlOrFail, readPciAddress } from "./libvirt-xml-common";
import { formatPciAddress, PCI_LIMITS } from "./pci-address";

export interface NodedevPciId {
    /** Four lowercase hex digits: "15b3". */
    id: string;
    name?: string;
}

export interface NodedevXml {
    name: string;
    path?: string;
    parent?: string;
    /** Bound host driver; undefined when unbound. */
    driver?: string;
    address: string;
    class?: string;
    vendor: NodedevPciId;
    product: NodedevPciId;
    /** The PF of a VF. */
    physFunction?: string;
    /** The VFs of a PF. */
    virtFunctions?: { maxCount?: number; addresses: string[] };
    iommuGroup?: { number: number; addresses: string[] };
    numaNode?: number;
}

function decimal(src: string, cap: XmlElement, tag: string, max: number): number {
    const el = firstChild(cap, tag);
    if (!el)
        failAt(src, cap, `<capability type='pci'> has no <${tag}>`);
    const t = textOf(el).trim();
    if (!/^(0|[1-9][0-9]*)$/.test(t) || Number(t) > max)
        failAt(src, el, `<${tag}>${t}</${tag}>: expected a decimal number up to ${max}`);
    return Number(t);
}

function pciId(src: string, cap: XmlElement, tag: string): NodedevPciId {
    const el = firstChild(cap, tag);
    const id = el?.attrs.id;
    if (!el || id === undefined || !/^0x[0-9a-fA-F]{4}$/.test(id))
        failAt(src, el ?? cap, `<${tag} id='0x....'> missing or malformed`);
    const name = textOf(el).trim();
    return { id: id.slice(2).toLowerCase(), ...(name !== "" ? { name } : {}) };
}

export function parseNodedevXml(src: string): NodedevXml {
    const root = parseXmlOrFail(src);
    if (root.name !== "device")
        failAt(src, root, `root element is <${root.name}>, expected <device>`);
    const nameEl = firstChild(root, "name");
    if (!nameEl)
        failAt(src, root, "<device> has no <name>");
    const cap = childElements(root, "capability").find(c => c.attrs.type === "pci");
    if (!cap)
        failAt(src, root, "not a PCI device (no <capability type='pci'>)");
    const out: NodedevXml = {
        name: textOf(nameEl).trim(),
        address: formatPciAddress(decimal(src, cap, "domain", PCI_LIMITS.domain), decimal(src, cap, "bus", PCI_LIMITS.bus),
            decimal(src, cap, "slot", PCI_LIMITS.slot), decimal(src, cap, "function", PCI_LIMITS.function)),
        vendor: pciId(src, cap, "vendor"),
        product: pciId(src, cap, "product"),
    };
    const path = firstChild(root, "path");
    if (path) out.path = textOf(path).trim();
    const parent = firstChild(root, "parent");
    if (parent) out.parent = textOf(parent).trim();
    const driver = firstChild(root, "driver");
    const driverName = driver && firstChild(driver, "name");
    if (driverName) out.driver = textOf(driverName).trim();
    const cls = firstChild(cap, "class");
    if (cls) out.class = textOf(cls).trim();
    for (const sub of childElements(cap, "capability")) {
        const addrs = childElements(sub, "address").map(a => readPciAddress(src, a));
        if (sub.attrs.type === "phys_function") {
            if (addrs.length !== 1)
                failAt(src, sub, "phys_function must hold exactly one <address>");
            out.physFunction = addrs[0];
        } else if (sub.attrs.type === "virt_functions") {
            const max = sub.attrs.maxCount;
            out.virtFunctions = { addresses: addrs, ...(max !== undefined && /^[0-9]+$/.test(max) ? { maxCount: Number(max) } : {}) };
        }
    }
    const group = firstChild(cap, "iommuGroup");
    if (group) {
        const n = group.attrs.number;
        if (n === undefined || !/^[0-9]+$/.test(n))
            failAt(src, group, "<iommuGroup> without a numeric number=");
        out.iommuGroup = { number: Number(n), addresses: childElements(group, "address").map(a => readPciAddress(src, a)) };
    }
    const numa = firstChild(cap, "numa")?.attrs.node;
    if (numa !== undefined && /^-?[0-9]+$/.test(numa)) out.numaNode = Number(numa);
    return out;
}
