/*
 * Hosts for the session tests: a HostModel whose reading is a fact set the test holds (and changes when a command
 * runs, as a real host would), over an in-memory host (test/unit/steps/file-host.ts) that keeps every call.
 */
import type { HostFacts, Role } from "../../../src/checks/facts";
import type { Argv } from "../../../src/host/argv";
import type { CommandResult, RunOptions, TransportErrorKind } from "../../../src/host/transport";
import { TransportError } from "../../../src/host/transport";
import { HostModel, type HostModelOptions } from "../../../src/session/host-model";
import type { HostReading } from "../../../src/session/host-probe";
import { FileHost, commandName } from "../steps/file-host";

/** A host whose commands can fail, hang until cancelled, or change its facts. */
export class ScriptedHost extends FileHost {
    facts: HostFacts;
    /** by the command's name (its first word; a fixed script's name): what it does to the host (its facts), or how it fails */
    on: Record<string, (argv: string[], o: RunOptions) => Partial<CommandResult> | void | Promise<Partial<CommandResult> | void>> = {};
    down = false;
    /** the VMs running on it, as its reading lists them */
    vms: string[] = [];
    /** how a host that is down fails: not answering, or answering with a key SSH does not know */
    downAs: TransportErrorKind = "unreachable";

    constructor(host: string, facts: HostFacts) {
        super(host);
        this.facts = facts;
    }

    override async run(argv: Argv, o: RunOptions = {}): Promise<CommandResult> {
        if (this.down)
            throw new TransportError(this.downAs, this.host, `${this.host} does not answer`);
        const base = await super.run(argv, o);
        const act = this.on[commandName([...argv])];
        const over = act ? await act([...argv], o) : undefined;
        return { ...base, ...(over ?? {}) };
    }
}

/** The model of a scripted host: a refresh reads the host's facts as they are now (one round trip). */
export class FakeHostModel extends HostModel {
    refreshes = 0;
    constructor(role: Role, readonly fake: ScriptedHost, options: HostModelOptions = {}) {
        super(role, fake, options);
    }

    /** each refresh's keepFirmware (the run may keep the last firmware query) */
    keptFirmware: boolean[] = [];

    override refresh(opts: { keepFirmware?: boolean } = {}): Promise<HostReading> {
        this.refreshes++;
        this.keptFirmware.push(!!opts.keepFirmware);
        if (this.fake.down) {
            const error = new TransportError(this.fake.downAs, this.fake.host, `${this.fake.host} does not answer`);
            this.update({ facts: null, busy: false, error });
            return Promise.reject(error);
        }
        const r = { facts: this.fake.facts, vms: [...this.fake.vms], roundTrips: 1 };
        this.update({ facts: r.facts, vms: r.vms, busy: false, error: null, roundTrips: 1, refreshedAt: Date.now() });
        return Promise.resolve(r);
    }
}
