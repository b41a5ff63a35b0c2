/*
 * The wizard's first contact with the destination the admin typed: its libvirt answers over SSH (and the
 * destination is remembered), or it fails, or SSH does not know its host key yet (the key is offered, trusted on
 * the admin's word, then the contact is tried again). Only the destination typed last counts: an answer about one
 * typed before is dropped.
 */
import type { SshTransport } from "../host/ssh";
import type { HostKeyOffer } from "../host/ssh-argv";
import { Store } from "./emitter";
import { type DestinationInput, destinationOrNull, saveDestination } from "./hosts";
import { contactDestination } from "./vms";

/** user@host[:port] as typed (root when empty, no port when 22 or empty): what a contact is about */
export const contactKey = (d: { host: string; user: string; port?: string }): string => {
    const port = (d.port ?? "").trim();
    return `${d.user.trim() || "root"}@${d.host.trim()}${port === "" || port === "22" ? "" : `:${port}`}`;
};

export type ContactStatus =
    | { status: "checking" }
    | { status: "ok"; vms: number }
    | { status: "error"; message: string; detail: string };

export interface ContactState {
    /** the last contact and the destination it is about; null before any */
    contact: (ContactStatus & { key: string }) | null;
    /** SSH does not know the destination's key: shown to the admin before anything is trusted */
    offer: { host: string; offer: HostKeyOffer } | null;
}

export class DestinationContact extends Store<ContactState> {
    private typed = "";
    private offered: { ssh: SshTransport; input: DestinationInput } | null = null;
    private stop: AbortController | null = null;

    constructor() {
        super({ contact: null, offer: null });
    }

    /** The destination as typed now: answers about another one are dropped. */
    typing(d: { host: string; user: string; port?: string }): void {
        this.typed = contactKey(d);
    }

    /** Reaches the destination (nothing for one that is not valid). */
    async check(d: DestinationInput): Promise<void> {
        const remote = destinationOrNull(d);
        if (!remote)
            return;
        const key = contactKey(d);
        this.typed = key;
        this.stop?.abort();
        const stop = new AbortController();
        this.stop = stop;
        this.update({ contact: { status: "checking", key } });
        const c = await contactDestination(remote, stop.signal);
        if (this.stop === stop)
            this.stop = null;
        if (this.typed !== key || stop.signal.aborted)
            return;
        if (c.status === "host-key") {
            this.offered = { ssh: remote.ssh, input: d };
            this.update({ offer: { host: remote.ssh.host, offer: c.offer } });
            return;
        }
        if (c.status === "ok")
            saveDestination(d);
        this.update({ contact: { ...c, key } });
    }

    /** The admin stops a contact under way: its commands are stopped, and no answer is shown. */
    cancel(): void {
        if (!this.stop)
            return;
        this.stop.abort();
        this.stop = null;
        this.update({ contact: null });
    }

    /** Trusts the key offered (its failure is the caller's to show); then the contact is tried again. */
    async trustOffered(): Promise<void> {
        const { offer } = this.state;
        if (!offer || !this.offered)
            throw new Error("no host key offered");
        await this.offered.ssh.trustHostKeys(offer.offer);
    }

    /** After the key is trusted: the dialog closes and the destination is tried again. */
    async trusted(): Promise<void> {
        const input = this.offered?.input;
        this.dismissOffer(false);
        if (input)
            await this.check(input);
    }

    /** The admin declined the key: no contact. */
    dismissOffer(clear = true): void {
        this.offered = null;
        this.update(clear ? { offer: null, contact: null } : { offer: null });
    }
}
