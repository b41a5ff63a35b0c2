/*
 * Small outputs the security checks read: `printenv SSH_CONNECTION` (where this SSH session comes from, as the
 * host sees it) and `openssl x509 -noout -ext subjectAltName` (the names a certificate is valid for).
 */
import { contentLines, fail, failWhole, requireContent } from "./common";

export interface SshConnection { client: string; clientPort: number; server: string; serverPort: number }

const IP_WORD = /^[0-9A-Fa-f:.]+$/;
const port = (s: string) => /^\d{1,5}$/.test(s) && Number(s) > 0 && Number(s) < 65536;

/** "192.0.2.1 51234 192.0.2.2 22" (sshd sets it in every session: client address and port, server address and port). */
export function parseSshConnection(text: string): SshConnection {
    const lines = requireContent(text);
    if (lines.length !== 1)
        fail(lines[1], "expected one line");
    const w = lines[0].text.trim().split(" ");
    if (w.length !== 4 || !IP_WORD.test(w[0]) || !IP_WORD.test(w[2]) || !port(w[1]) || !port(w[3]))
        fail(lines[0], "expected “CLIENT-ADDRESS CLIENT-PORT SERVER-ADDRESS SERVER-PORT”");
    return { client: w[0], clientPort: Number(w[1]), server: w[2], serverPort: Number(w[3]) };
}

export interface CertNames { names: { kind: "DNS" | "IP"; value: string }[] }

/**
 * OpenSSL 3: "X509v3 Subject Alternative Name: " then one indented line "DNS:a, DNS:b, IP Address:192.0.2.2".
 * A certificate without the extension prints nothing (or "No extensions in certificate"): no names.
 */
export function parseCertSubjectAltName(text: string): CertNames {
    const lines = contentLines(text);
    if (lines.length === 0 || (lines.length === 1 && lines[0].text.trim() === "No extensions in certificate"))
        return { names: [] };
    if (!/^X509v3 Subject Alternative Name:( critical)?\s*$/.test(lines[0].text))
        fail(lines[0], "expected “X509v3 Subject Alternative Name:”");
    if (lines.length !== 2)
        failWhole("expected one line of names");
    const names = lines[1].text.trim().split(/,\s*/).map(entry => {
        const m = /^(DNS|IP Address|email|URI|DirName|RID|othername):(.*)$/.exec(entry);
        if (!m)
            fail(lines[1], `unexpected name “${entry}”`);
        return m;
    }).filter(m => m[1] === "DNS" || m[1] === "IP Address")
        .map(m => ({ kind: m[1] === "DNS" ? "DNS" as const : "IP" as const, value: m[2] }));
    return { names };
}
