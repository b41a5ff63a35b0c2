/*
 * The destination host, reached over SSH from this host: `ssh` spawned here as root through the local transport,
 * one shared master connection per user@host:port (ControlMaster/ControlPersist), strict host-key checking against
 * root's known_hosts. The SSH user's commands run as is: that user must be root (no sudo on the destination).
 * Host-key first contact and trust run through a second, journaled, local transport: they are in the command log,
 * and trust and forget (which change this host) in its system log.
 */
import { _, format } from "../lib/cockpit";
import { Argv, makeArgv } from "./argv";
import { runProbe } from "./probe";
import {
    DEFAULT_SSH_CONFIG, FINGERPRINT_ARGV, HostKeyOffer, SshConfig, SshTarget, buildKeyscanArgv, buildKnownHostsFindArgv,
    LOOKUP_TIMEOUT_S, buildLookupArgv, buildSshArgv, buildSshExitArgv, classifySshFailure, fingerprintTypeOf, keyToOffer, knownHostsName, missingKeyLines,
    parseFingerprints, parseKeyscan, remoteCommandNotFound, targetLabel,
} from "./ssh-argv";
import {
    CommandResult, DEFAULT_TIMEOUT_MS, HostTransport, ProbeCommand, ProbeOptions, ProbeResult, RunOptions,
    TransportError, TransportErrorKind, transportError, writeSysfsVia,
} from "./transport";
import { Host, SysfsPath, SysfsValue } from "./values";

const dirname = (p: string) => p.replace(/\/[^/]*$/, "") || "/";

/** A command on this host that had to succeed for the host-key change to be made: its own words, its output as detail. */
function failedWrite(message: string, r: CommandResult, kind: TransportErrorKind = "protocol"): TransportError {
    return new TransportError(kind, r.host, message, r.argv, r.stderr || r.stdout);
}

export class SshTransport implements HostTransport {
    readonly host: string;
    private dirsReady: Promise<void> | null = null;
    private keyKnown = false;
    private keyCheck: Promise<void> | null = null;
    /** the name resolved once (a failed lookup is tried again by the next command) */
    private lookup: Promise<void> | null = null;

    /**
     * `wire` runs ssh on this host (it needs administrative access: ssh runs as root); it is the raw transport, as
     * the journaled wrapper around this transport already logs the remote command. `admin` runs this host's own
     * commands for the connection: the ControlPath folder, first contact, trust and forget (journaled in the page).
     */
    constructor(readonly target: SshTarget, private readonly wire: HostTransport, readonly config: SshConfig = DEFAULT_SSH_CONFIG,
                private readonly admin: HostTransport = wire) {
        this.host = targetLabel(target);
    }

    /** The ControlPath folder, root's alone: `install -d` also fixes the mode and owner of one that already exists. */
    private ensureDirs(): Promise<void> {
        if (!this.dirsReady) {
            const dir = this.config.controlDir;
            this.dirsReady = (async () => {
                const made = await this.admin.run(makeArgv("install", "-d", "-m", "0700", "-o", "root", "-g", "root", "--", dir), { superuser: true });
                if (made.exitStatus !== 0)
                    throw transportError("protocol", this.admin.host, made.argv, made.stderr);
                const st = await this.admin.run(makeArgv("stat", "-c", "%a %u %g %F", "--", dir), { superuser: true });
                if (st.exitStatus !== 0 || st.stdout.trim() !== "700 0 0 directory")
                    throw failedWrite(format(_("$0 must be a folder owned by root with mode 0700; it is: $1"), dir, st.stdout.trim() || st.stderr.trim()), st);
            })();
            this.dirsReady.catch(() => { this.dirsReady = null });
        }
        return this.dirsReady;
    }

    /**
     * A master connection left open (ControlPersist, another page) is used without any host-key check, so a host
     * whose key root's known_hosts no longer holds would skip the first-contact confirmation: such a master is ended
     * first, and ssh then checks the key (and refuses an unknown one) as on a first connection.
     */
    private ensureKeyKnown(): Promise<void> {
        if (this.keyKnown)
            return Promise.resolve();
        // one check shared by the commands that start together: one of them closing the master of another would
        // make it fail
        this.keyCheck ??= (async () => {
            const found = await this.admin.run(buildKnownHostsFindArgv(this.target, this.config), { superuser: true }).catch(() => null);
            if (found && found.exitStatus === 0 && found.stdout.trim() !== "")
                this.keyKnown = true;
            else
                await this.close();
        })();
        return this.keyCheck;
    }

    /**
     * The lookup, shared by the commands that start together: started without any one command's signal (it is
     * bounded anyway), each command waiting on it under its own signal.
     */
    private ensureLookedUp(signal?: AbortSignal): Promise<void> {
        if (!this.lookup) {
            this.lookup = this.lookUp();
            this.lookup.catch(() => { this.lookup = null });
        }
        if (!signal)
            return this.lookup;
        const lookup = this.lookup;
        return new Promise<void>((resolve, reject) => {
            const stop = () => reject(transportError("cancelled", this.host, buildLookupArgv(this.target) ?? []));
            if (signal.aborted)
                return stop();
            signal.addEventListener("abort", stop, { once: true });
            lookup.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
        });
    }

    /**
     * Once the host's key is known good (the look-ups every command makes first, shared): before that, a first
     * contact fails once, not once per probe.
     */
    async together(): Promise<boolean> {
        try {
            await this.ensureDirs();
            await this.ensureLookedUp();
            await this.ensureKeyKnown();
        } catch {
            return false;
        }
        return this.keyKnown;
    }

    async run(argv: Argv, options: RunOptions = {}): Promise<CommandResult> {
        await this.ensureDirs();
        await this.ensureLookedUp(options.signal);
        await this.ensureKeyKnown();
        const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const wire = buildSshArgv(this.target, argv, this.config, timeoutMs / 1000);
        let r: CommandResult;
        try {
            // the remote `timeout` stops first; the local limit adds the connection's own time
            r = await this.wire.run(wire, { ...options, superuser: true, changes: false, timeoutMs: timeoutMs + (this.config.connectTimeoutS + 5) * 1000 });
        } catch (e) {
            if (e instanceof TransportError)
                throw transportError(e.kind, this.host, argv, e.detail, timeoutMs);
            throw e;
        }
        const failure = classifySshFailure(r.exitStatus, r.stderr);
        if (failure === "host-key-unknown" || failure === "host-key-changed") {
            this.keyCheck = null;
            this.keyKnown = false;
        }
        else if (failure === null)
            // a new master checked the key strictly (root's file, the system's, or a KnownHostsCommand): no need to
            // look again, nor to close a master that is now known good
            this.keyKnown = true;
        if (failure === "unreachable" && /Could not resolve hostname/.test(r.stderr))
            throw this.noAddress(argv, r.stderr);
        if (failure)
            throw transportError(failure, this.host, argv, r.stderr, timeoutMs);
        if (r.exitStatus === 124)
            throw transportError("timeout", this.host, argv, r.stderr, timeoutMs);
        if (remoteCommandNotFound(r.exitStatus, r.stderr))
            throw transportError("command-not-found", this.host, argv, r.stderr, timeoutMs);
        return { ...r, host: this.host, argv: [...argv], wire: r.argv };
    }

    writeSysfs(path: SysfsPath, value: SysfsValue, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<CommandResult> {
        return writeSysfsVia(this, path, value, options);
    }

    probe(commands: readonly ProbeCommand[], options?: ProbeOptions): Promise<ProbeResult> {
        return runProbe(this, commands, options);
    }

    /**
     * The destination's name looked up on this host, bounded (see LOOKUP_TIMEOUT_S): a first contact then ends
     * within the lookup's and ssh's ConnectTimeout's limits, with a message that says which of the two failed.
     */
    private async lookUp(): Promise<void> {
        const argv = buildLookupArgv(this.target);
        if (!argv)
            return;
        const name = Host.of(this.target.host);
        let r: CommandResult;
        try {
            r = await this.admin.run(argv, { timeoutMs: LOOKUP_TIMEOUT_S * 1000 });
        } catch (e) {
            if (e instanceof TransportError && e.kind === "timeout")
                throw new TransportError("unreachable", this.host, format(_("Looking up the address of “$0” did not end within $1 seconds: check this host's name servers (/etc/resolv.conf), or type the destination's IP address."),
                                                                          name, LOOKUP_TIMEOUT_S), argv, e.detail);
            throw e;
        }
        // getent: 2 = no such name. ssh may still know it (a Host alias in root's ssh_config): ssh decides, and its
        // "Could not resolve hostname" is said as noAddress
        if (r.exitStatus !== 0 && r.exitStatus !== 2)
            throw transportError("protocol", this.admin.host, argv, r.stderr);
    }

    private noAddress(argv: readonly string[], detail: string): TransportError {
        return new TransportError("unreachable", this.host, format(_("No address is known for “$0” on this host: check the name, or type its IP address."),
                                                                   Host.of(this.target.host)), argv, detail);
    }

    async close(): Promise<void> {
        try {
            await this.admin.run(buildSshExitArgv(this.target, this.config), { superuser: true, timeoutMs: 10_000 });
        } catch {
            // no master running: nothing to close
        }
    }

    /**
     * First contact: one key (keyToOffer) and its SHA256 fingerprint, to show the admin before anything is trusted.
     * The other key types the host (or someone on the path) answered are not offered and never written.
     */
    async offerHostKeys(replaces = false): Promise<HostKeyOffer> {
        const scan = await this.admin.run(buildKeyscanArgv(this.target), { timeoutMs: 15_000 });
        const key = keyToOffer(parseKeyscan(scan.stdout, this.target));
        if (!key)
            throw transportError("unreachable", this.host, scan.argv, scan.stderr);
        const fp = await this.admin.run(FINGERPRINT_ARGV, { input: key.line + "\n", timeoutMs: 10_000 });
        const fingerprints = parseFingerprints(fp.stdout);
        if (fingerprints.length !== 1 || fingerprints[0].type !== fingerprintTypeOf(key.type))
            throw transportError("protocol", this.admin.host, fp.argv, fp.stderr);
        return { target: this.target, keys: [key], fingerprints, replaces };
    }

    /**
     * After the admin confirmed: appends the offered lines (no second scan) to root's known_hosts, those it does not
     * hold yet; a key that replaces a changed one removes the old entry first. A command that fails is an error, with
     * its output.
     */
    async trustHostKeys(offer: HostKeyOffer): Promise<CommandResult> {
        if (knownHostsName(offer.target) !== knownHostsName(this.target) || offer.target.user !== this.target.user)
            throw new Error("host key offer is for another host");
        const keys = parseKeyscan(offer.keys.map(k => k.line).join("\n"), this.target);
        // each key written is one whose fingerprint was shown
        if (keys.length === 0 || keys.length !== offer.keys.length || keys.length !== offer.fingerprints.length ||
            keys.some((k, i) => fingerprintTypeOf(k.type) !== offer.fingerprints[i].type))
            throw new Error("host key offer does not match its fingerprints");
        const file = this.config.knownHostsFile;
        const cannot = (r: CommandResult) =>
            failedWrite(format(_("The host key of $0 could not be written to $1: “$2” exited with status $3"), this.host, file, r.argv[0], r.exitStatus), r);
        const dir = await this.admin.run(makeArgv("mkdir", "-p", "-m", "0700", "--", dirname(file)), { superuser: true, changes: true });
        if (dir.exitStatus !== 0)
            throw cannot(dir);
        if (offer.replaces)
            await this.forgetHostKey();
        // exit 1: none for that name; 255: no file yet
        const found = await this.admin.run(buildKnownHostsFindArgv(this.target, this.config), { superuser: true });
        const missing = missingKeyLines(keys, found.exitStatus === 0 ? found.stdout : "");
        if (missing.length === 0) {
            this.keyKnown = true;
            return found;
        }
        const tee = await this.admin.run(makeArgv("tee", "-a", "--", file),
                                         { input: missing.map(k => k.line).join("\n") + "\n", superuser: true, changes: true });
        if (tee.exitStatus !== 0)
            throw cannot(tee);
        this.keyKnown = true;
        return tee;
    }

    /** For a changed key, once the admin has checked with the host's administrator: `ssh-keygen -R`. */
    async forgetHostKey(): Promise<CommandResult> {
        const r = await this.admin.run(makeArgv("ssh-keygen", "-R", knownHostsName(this.target), "-f", this.config.knownHostsFile),
                                       { superuser: true, changes: true });
        this.keyKnown = false;
        this.keyCheck = null;
        if (r.exitStatus !== 0)
            throw failedWrite(format(_("The old host key of $0 could not be removed from $1: “$2” exited with status $3"),
                                     this.host, this.config.knownHostsFile, r.argv[0], r.exitStatus), r);
        return r;
    }
}
