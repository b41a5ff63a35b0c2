/**
 * The one entry point: parse(tool, text) -> { ok: true, tool, value } | { ok: false, tool, error }.
 * Output a parser did not expect is a ParseError (the UI shows "unknown" and the raw output), never a default.
 */
import { ParseError, ParseFailure } from "./common";
import { DevlinkDevInfoList, parseDevlinkDevInfo } from "./devlink-dev-info";
import { DevlinkEswitchList, parseDevlinkEswitch } from "./devlink-eswitch";
import { DevlinkPortList, parseDevlinkPort } from "./devlink-port";
import { DevlinkError, parseDevlinkError } from "./devlink-errors";
import { MstconfigQueryEResult, parseMstconfigQueryE } from "./mstconfig-query-e";
import { MstconfigSet, parseMstconfigSet } from "./mstconfig-set";
import { MstfwresetResult, parseMstfwreset } from "./mstfwreset";
import { OvsShow, parseOvsShow } from "./ovs-vsctl-show";
import { OvsOtherConfig, parseOvsOtherConfig } from "./ovs-vsctl-values";
import { OvsError, parseOvsError } from "./ovs-vsctl-errors";
import { LspciList, parseLspci } from "./lspci";
import { IpLinkList, parseIpLink } from "./ip-link";
import { GrubbyInfo, KernelCmdline, parseGrubbyInfo, parseProcCmdline } from "./proc-cmdline";
import { parseVirtHostValidate, VirtHostValidate } from "./virt-host-validate";
import { OsRelease, parseOsRelease } from "./os-release";
import { parseMemAvailable } from "./meminfo";
import { parseLibvirtDbusThreads } from "./libvirt-dbus-threads";
import { DomJobInfo, parseDomJobInfo } from "./virsh-domjobinfo";
import { DirtyRate, parseDirtyRate } from "./virsh-domstats-dirtyrate";
import { MigrateError, parseMigrateError } from "./virsh-migrate-errors";
import { DomainXml, parseDomainXml } from "./libvirt-domain-xml";
import {
    FirewallZone, IpAddressRecord, parseCpuVendor, parseFirewallListAllZones, parseGrepValues, parseIpAddrOneline, parseNameLines,
    parsePathList, parseMgmtRoutes, type MgmtRoute, parseSystemctlShow, parseVirshVersion, parseVirtfnLinks, VirshVersion,
} from "./host-listings";
import { LibvirtConf, parseLibvirtConf } from "./libvirt-conf";
import { CertNames, SshConnection, parseCertSubjectAltName, parseSshConnection } from "./security-listings";
import { type GuestAddress, parseDomIfAddr, parsePingSummary, parseRouteGet } from "./guest-network";
import { type NmProfile, parseNmProfiles } from "./nm-profiles";

/** Tool key -> the type of its parsed value. */
export interface ToolValues {
    "devlink-dev-info": DevlinkDevInfoList;
    "devlink-eswitch": DevlinkEswitchList;
    "devlink-port": DevlinkPortList;
    "devlink-errors": DevlinkError;
    "mstconfig-query-e": MstconfigQueryEResult;
    "mstconfig-set": MstconfigSet;
    "mstfwreset": MstfwresetResult;
    "ovs-vsctl-show": OvsShow;
    "ovs-vsctl-other-config": OvsOtherConfig;
    "ovs-vsctl-errors": OvsError;
    "ip-link": IpLinkList;
    "lspci": LspciList;
    "proc-cmdline": KernelCmdline;
    "grubby-info": GrubbyInfo;
    "virt-host-validate": VirtHostValidate;
    "os-release": OsRelease;
    "meminfo-available": number;
    "libvirt-dbus-threads": number | null;
    "virsh-domjobinfo": DomJobInfo;
    "virsh-domstats-dirtyrate": DirtyRate;
    "virsh-migrate-errors": MigrateError;
    "libvirt-domain-xml": DomainXml;
    "path-list": { paths: string[] };
    "virtfn-links": { vfs: { index: number; pci: string }[] };
    "grep-values": { values: Record<string, string> };
    "name-lines": { names: string[] };
    "virsh-version": VirshVersion;
    "ip-addr": { addresses: IpAddressRecord[] };
    "mgmt-routes": { routes: MgmtRoute[] };
    "systemctl-show": { units: Record<string, string>[] };
    "firewall-list-all-zones": { zones: FirewallZone[] };
    "cpu-vendor": { vendor: "intel" | "amd" | "other"; raw: string };
    "libvirt-conf": LibvirtConf;
    "ssh-connection": SshConnection;
    "cert-san": CertNames;
    "virsh-domifaddr": { addresses: GuestAddress[] };
    "ping-summary": { transmitted: number; received: number; line: string };
    "ip-route-get": { dev: string; gateway: string | null; type: string | null };
    "nm-pf-profiles": { profiles: NmProfile[] };
}

export type Tool = keyof ToolValues;

const PARSERS: { [T in Tool]: (text: string) => ToolValues[T] } = {
    "devlink-dev-info": parseDevlinkDevInfo,
    "devlink-eswitch": parseDevlinkEswitch,
    "devlink-port": parseDevlinkPort,
    "devlink-errors": parseDevlinkError,
    "mstconfig-query-e": parseMstconfigQueryE,
    "mstconfig-set": parseMstconfigSet,
    "mstfwreset": parseMstfwreset,
    "ovs-vsctl-show": parseOvsShow,
    "ovs-vsctl-other-config": parseOvsOtherConfig,
    "ovs-vsctl-errors": parseOvsError,
    "ip-link": parseIpLink,
    "lspci": parseLspci,
    "proc-cmdline": parseProcCmdline,
    "grubby-info": parseGrubbyInfo,
    "virt-host-validate": parseVirtHostValidate,
    "os-release": parseOsRelease,
    "meminfo-available": parseMemAvailable,
    "libvirt-dbus-threads": parseLibvirtDbusThreads,
    "virsh-domjobinfo": parseDomJobInfo,
    "virsh-domstats-dirtyrate": parseDirtyRate,
    "virsh-migrate-errors": parseMigrateError,
    "libvirt-domain-xml": parseDomainXml,
    "path-list": parsePathList,
    "virtfn-links": parseVirtfnLinks,
    "grep-values": parseGrepValues,
    "name-lines": parseNameLines,
    "virsh-version": parseVirshVersion,
    "ip-addr": parseIpAddrOneline,
    "mgmt-routes": parseMgmtRoutes,
    "systemctl-show": parseSystemctlShow,
    "firewall-list-all-zones": parseFirewallListAllZones,
    "cpu-vendor": parseCpuVendor,
    "libvirt-conf": parseLibvirtConf,
    "ssh-connection": parseSshConnection,
    "cert-san": parseCertSubjectAltName,
    "virsh-domifaddr": parseDomIfAddr,
    "ping-summary": parsePingSummary,
    "ip-route-get": parseRouteGet,
    "nm-pf-profiles": parseNmProfiles,
};

export const TOOLS = Object.keys(PARSERS) as Tool[];

export type ParseResult<T extends Tool = Tool> = { [K in T]:
    | { ok: true; tool: K; value: ToolValues[K] }
    | { ok: false; tool: K; error: ParseError } }[T];

export function parse<T extends Tool>(tool: T, text: string): ParseResult<T> {
    const parser = PARSERS[tool] as ((text: string) => ToolValues[T]) | undefined;
    if (!parser)
        return { ok: false, tool, error: { tool, line: 0, text: "", message: `no parser for tool "${tool}"` } } as ParseResult<T>;
    try {
        return { ok: true, tool, value: parser(text) } as ParseResult<T>;
    } catch (e) {
        if (e instanceof ParseFailure)
            return { ok: false, tool, error: { tool, line: e.line, text: e.text, message: e.message } } as ParseResult<T>;
        // A bug in a parser is still not a pass: report it as a parse error of the whole text.
        return { ok: false, tool, error: { tool, line: 0, text: "", message: `parser failed: ${String(e)}` } } as ParseResult<T>;
    }
}

export type { ParseError } from "./common";
export type { NmProfile } from "./nm-profiles";
export { findPhysicalPort, findVfPort } from "./devlink-port";
export type { DevlinkPortRecord, DevlinkPortFunction, PortFlavour } from "./devlink-port";
export type { DevlinkDevInfo } from "./devlink-dev-info";
export type { DevlinkEswitch, EswitchMode } from "./devlink-eswitch";
export type { DevlinkErrorKind } from "./devlink-errors";
export type { MstconfigValue, MstconfigDevice, MstconfigFailure } from "./mstconfig-common";
export type { MstconfigParam, MstconfigQueryE } from "./mstconfig-query-e";
export type { OvsBridge, OvsPort, OvsInterface } from "./ovs-vsctl-show";
export type { OvsErrorKind } from "./ovs-vsctl-errors";
export type { LspciDevice } from "./lspci";
export type { IpLink, IpLinkVf } from "./ip-link";
export type { IommuArgs, GrubbyEntry } from "./proc-cmdline";
export type { ValidateCheck } from "./virt-host-validate";
export type { VirshJobType, JobOperation } from "./virsh-domjobinfo";
export type { MigrateErrorKind } from "./virsh-migrate-errors";
export type { DomainHostdev, DomainDisk } from "./libvirt-domain-xml";
export { hostdevInterfaces, assignedPciAddresses } from "./libvirt-domain-xml";
export { parseRichRule } from "./firewall-rich-rule";
export type { RichRule } from "./firewall-rich-rule";
