/* What both destination forms (the status page's and the wizard's first stage) share: the connection choices, the
 * help under a field, and the split of `user@host` typed in the host field. */
import { useCallback, useState } from "react";
import { FormHelperText } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { HelperText, HelperTextItem } from "@patternfly/react-core/dist/esm/components/HelperText/index.js";
import { _, format } from "../lib/cockpit";
import type { Protocol } from "../checks/facts";
import { splitLogin } from "../session/hosts";
import { IpAddress } from "../session/input";

export const PROTOCOLS: { value: Protocol; label: () => string }[] = [
    { value: "ssh", label: () => _("SSH (qemu+ssh, port 22): control encrypted, memory unencrypted") },
    { value: "tls", label: () => _("TLS (qemu+tls, port 16514): control and memory encrypted") },
    { value: "tcp", label: () => _("TCP (qemu+tcp, port 16509): nothing encrypted, SASL login") },
];

/** The line under a field: its error, else its note or hint. */
/** A guest address field's complaint: null when it is empty or holds an address. */
export const ipAddressError = (text: string): string | null =>
    (text.trim() && !IpAddress.parse(text.trim()).ok ? _("An IPv4 address (192.0.2.10) or an IPv6 address (2001:db8::10)") : null);

export function FieldHelp({ id, error, hint }: { id?: string; error?: string | null; hint?: string | null }) {
    if (!error && !hint)
        return null;
    return (
        <FormHelperText>
            <HelperText {...(id ? { id } : {})}>
                <HelperTextItem variant={error ? "error" : "default"}>{error ?? hint}</HelperTextItem>
            </HelperText>
        </FormHelperText>
    );
}

export interface LoginSplit { note: string | null; error: string | null }

/**
 * `user@host` in the host field: `apply` returns the two fields to keep (the user moved to its field, with a note
 * that stays until the user field changes), or the fields as typed with an error for the host field.
 */
export function useLoginSplit(): [LoginSplit, (v: { host: string; user: string }, userChanged: boolean) => { host: string; user: string }] {
    const [split, setSplit] = useState<LoginSplit>({ note: null, error: null });
    const apply = useCallback((v: { host: string; user: string }, userChanged: boolean) => {
        const s = splitLogin(v);
        if ("error" in s) {
            setSplit({ note: null, error: s.error });
            return v;
        }
        const note = s.moved !== null ? format(_("The user $0 was moved to the SSH user field"), s.moved) : null;
        setSplit(prev => ({ note: note ?? (userChanged ? null : prev.note), error: null }));
        return { host: s.host, user: s.user };
    }, []);
    return [split, apply];
}
