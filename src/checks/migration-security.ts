/*
 * What protects the migration on each host: libvirt's TCP listener asks for a login (auth_tcp), and with TLS
 * the certificates libvirt and QEMU need are in place, with the destination's name in its server certificates.
 */
import { _, format } from "../lib/cockpit";
import { IpAddress } from "../host/values";
import type { Fact, CheckDef, CheckResult } from "./types";
import type { HostContext } from "./facts";
import { manualFix, result, unknownResult } from "./helpers";
import { libvirtMonolithic } from "./packages";

export const DOCS_LIBVIRT_AUTH = "https://libvirt.org/auth.html";
export const DOCS_LIBVIRT_TLS = "https://libvirt.org/kbase/tlscerts.html";

/** libvirt's built-in value when auth_tcp is not set (libvirtd.conf / virtproxyd.conf as shipped: commented out). */
export const AUTH_TCP_DEFAULT = "sasl";

/** The daemon that serves qemu+tcp:// on the destination: virtproxyd (modular, RHEL 9's default) or libvirtd. */
function tcpDaemon(ctx: HostContext): "virtproxyd" | "libvirtd" {
    return libvirtMonolithic(ctx.facts.units) ? "libvirtd" : "virtproxyd";
}

export function tcpAuth(ctx: HostContext): Fact<{ value: string; file: string; explicit: boolean }> {
    const daemon = tcpDaemon(ctx);
    const conf = ctx.facts.libvirtConf[daemon];
    const file = `/etc/libvirt/${daemon}.conf`;
    if (!conf.known)
        return conf;
    const v = conf.value.auth_tcp;
    return { known: true, value: { value: typeof v === "string" ? v : AUTH_TCP_DEFAULT, file, explicit: typeof v === "string" }, evidence: conf.evidence };
}

export const libvirtTcpAuth: CheckDef<HostContext> = {
    id: "libvirt-tcp-auth",
    group: "libvirt",
    get title() { return _("Login on libvirt's TCP port"); },
    get description() {
        return _("With the TCP protocol, the destination's libvirt asks whoever connects to port 16509 to log in (auth_tcp).");
    },
    get why() { return _("With auth_tcp = \"none\", anyone who reaches port 16509 controls every VM of the destination as root."); },
    docs: DOCS_LIBVIRT_AUTH,
    evaluate: ctx => {
        const id = "libvirt-tcp-auth";
        const a = tcpAuth(ctx);
        if (ctx.protocol !== "tcp" || ctx.role !== "destination")
            return result(id, "pass", _("Only for the TCP protocol, on the destination"), a.evidence);
        if (!a.known)
            return unknownResult(id, a);
        const { value, file, explicit } = a.value;
        const how = explicit ? format(_("$0 sets auth_tcp = \"$1\""), file, value) : format(_("$0 leaves auth_tcp at libvirt's default, \"$1\""), file, value);
        if (value === "none")
            return result(id, "fail", how, a.evidence,
                          manualFix(format(_("Refused: without a login, the TCP port gives root on this host to anyone who reaches it. Choose SSH or TLS, or set auth_tcp = \"sasl\" in $0, add a SASL user (saslpasswd2 -a libvirt NAME) and restart $1."),
                                           file, tcpDaemon(ctx) === "libvirtd" ? "libvirtd" : "virtproxyd-tcp.socket")));
        if (value !== "sasl")
            return result(id, "warn", how, a.evidence);
        return result(id, "pass", how, a.evidence);
    },
};

/** What each side of a TLS migration reads: libvirt's client or server files, QEMU's the same (default places). */
export const TLS_NEEDS: Record<"source" | "destination", string[]> = {
    source: ["/etc/pki/CA/cacert.pem", "/etc/pki/libvirt/clientcert.pem", "/etc/pki/libvirt/private/clientkey.pem",
        "/etc/pki/qemu/ca-cert.pem", "/etc/pki/qemu/client-cert.pem", "/etc/pki/qemu/client-key.pem"],
    destination: ["/etc/pki/CA/cacert.pem", "/etc/pki/libvirt/servercert.pem", "/etc/pki/libvirt/private/serverkey.pem",
        "/etc/pki/qemu/ca-cert.pem", "/etc/pki/qemu/server-cert.pem", "/etc/pki/qemu/server-key.pem"],
};

/** The certificate names the destination is known by here ("DNS:" names compare case-insensitively). */
function nameMatches(names: string[], host: string): boolean {
    const ip = IpAddress.parse(host);
    return names.some(n => {
        if (ip.ok) {
            const m = IpAddress.parse(n);
            return m.ok && m.value === ip.value;
        }
        return n.toLowerCase() === host.toLowerCase();
    });
}

/** The name the source connects to, from a host's label (`user@host`, `user@[v6]:port`, `host`). */
function connectName(label: string): string {
    const noUser = label.replace(/^[^@]*@/, "");
    const v6 = /^\[(.*)\](?::\d+)?$/.exec(noUser);
    return v6 ? v6[1] : noUser.replace(/:\d+$/, "");
}

function sanResult(ctx: HostContext, which: "libvirt" | "qemu", file: string): CheckResult | null {
    const f = ctx.facts.serverCertNames[which];
    if (!f.known)
        return unknownResult("tls-certificates", f);
    const host = connectName(ctx.facts.host);
    if (nameMatches(f.value, host))
        return null;
    return result("tls-certificates", "fail",
                  format(_("$0 is not valid for “$1” (its names: $2)"), file, host, f.value.join(", ") || _("none")), f.evidence,
                  manualFix(format(_("Issue the destination's server certificates with “$0” in their subjectAltName, as the source connects to that name."), host)));
}

export const tlsCertificates: CheckDef<HostContext> = {
    id: "tls-certificates",
    group: "libvirt",
    get title() { return _("TLS certificates"); },
    get description() {
        return _("With the TLS protocol, libvirt's and QEMU's certificates and keys are in place, and the destination's server certificates name the destination.");
    },
    get why() {
        return _("libvirt's connection and QEMU's memory stream are both encrypted and authenticated with them; without them the migration is refused.");
    },
    docs: DOCS_LIBVIRT_TLS,
    evaluate: ctx => {
        const id = "tls-certificates";
        const f = ctx.facts;
        if (ctx.protocol !== "tls")
            return result(id, "pass", _("Only for the TLS protocol"), f.tlsFiles.evidence);
        if (!f.tlsFiles.known)
            return unknownResult(id, f.tlsFiles);
        const present = f.tlsFiles.value;
        const missing = TLS_NEEDS[ctx.role].filter(p => !present.includes(p));
        if (missing.length > 0)
            return result(id, "fail", format(_("Missing: $0"), missing.join(", ")), f.tlsFiles.evidence,
                          manualFix(format(_("Create them as libvirt's TLS guide says ($0); QEMU's files in /etc/pki/qemu may be copies of libvirt's (ca-cert.pem = the CA certificate, server-cert.pem/server-key.pem on the destination, client-cert.pem/client-key.pem on the source)."), DOCS_LIBVIRT_TLS)));
        const qemu = f.libvirtConf.qemu;
        if (!qemu.known)
            return unknownResult(id, qemu);
        const dir = qemu.value.migrate_tls_x509_cert_dir ?? qemu.value.default_tls_x509_cert_dir;
        if (typeof dir === "string" && dir.replace(/\/+$/, "") !== "/etc/pki/qemu")
            return result(id, "warn", format(_("qemu.conf takes QEMU's certificates from $0; only /etc/pki/qemu was checked"), dir), qemu.evidence);
        if (ctx.role === "destination") {
            const bad = sanResult(ctx, "libvirt", "/etc/pki/libvirt/servercert.pem") ?? sanResult(ctx, "qemu", "/etc/pki/qemu/server-cert.pem");
            if (bad)
                return bad;
            const verify = qemu.value.migrate_tls_x509_verify ?? qemu.value.default_tls_x509_verify;
            if (verify === 0)
                return result(id, "warn", _("qemu.conf sets migrate_tls_x509_verify = 0: the destination's QEMU accepts a migration from any client, without a certificate"), qemu.evidence);
        }
        return result(id, "pass", ctx.role === "destination"
            ? format(_("Certificates in place; the server certificates name $0"), f.host)
            : _("Client certificates in place"), [...f.tlsFiles.evidence, ...f.serverCertNames.libvirt.evidence, ...f.serverCertNames.qemu.evidence]);
    },
};

export const SECURITY_CHECKS = [libvirtTcpAuth, tlsCertificates];
/** Their failure stops the wizard: no preparation step fixes them (the admin's own TLS or SASL set-up does). */
export const SECURITY_REFUSING_IDS: readonly string[] = SECURITY_CHECKS.map(c => c.id);
