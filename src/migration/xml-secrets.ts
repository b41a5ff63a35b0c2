/*
 * The copies of a domain XML the page shows and lets the admin copy, without the secret libvirt put in them.
 * GetXMLDesc with VIR_DOMAIN_XML_SECURE (which the migration needs, and which VIR_DOMAIN_XML_MIGRATABLE implies for
 * QEMU) adds one secret only: the graphics password, `passwd` on <graphics type='vnc'|'spice'…>; every other secret
 * is a reference to a libvirt secret object (libvirt commit 2cfd147c, CVE-2014-7823). `sharePolicy` is not one.
 */

export const SECRET_MASK = "********";

/** `passwd='…'` / `passwd="…"` on any element, with the value's own quoting. */
const PASSWD_ATTR = /(\spasswd\s*=\s*)(?:'[^']*'|"[^"]*")/g;

/** The document with every password value replaced by SECRET_MASK, and how many there were. */
export function maskDomainSecrets(xml: string): { text: string; masked: number } {
    let masked = 0;
    const text = xml.replace(PASSWD_ATTR, (_m, head: string) => {
        masked++;
        return `${head}'${SECRET_MASK}'`;
    });
    return { text, masked };
}
