/*
 * The destination host, reached over SSH from this host: `ssh` spawned here as root through the local transport,
 * one shared master connection per user@host:port (ControlMaster/ControlPersist), strict host-key checking against
 * root's known_hosts. The SSH user's commands run as is: that user must be root (no sudo on the destination).
 */
import { Argv, makeArgv } from "./argv";
import { runProbe } from "./probe";
import {
    DEFAULT_SSH_CONFIG, FINGERPRINT_ARGV, HostKeyOffer, SshConfig, SshTarget, buildKeyscanArgv, buildSshArgv,
    buildSshExitArgv, classifySshFailure, knownHostsName, parseFingerprints, parseKeyscan, remoteCommandNotFound, targetLabel,
} from "./ssh-argv";
import {
    CommandResult, DEFAULT_TIMEOUT_MS, HostTransport, ProbeCommand, ProbeOptions, ProbeResult, RunOptions,
    TransportError, transportError, writeSysfsVia,
} from "./transport";
import { SysfsPath, SysfsValue } from "./values";

const dirname = (p: string) => p.replace(/\/[^/]*$/, "") || "/";

export class SshTransport implements HostTransport {
    readonly host: string;
    private dirsReady: Promise<void> | null = null;

    /** `local` runs ssh on this host; it needs administrative access (ssh runs as root). */
    constructor(readonly target: SshTarget, private readonly local: HostTransport, readonly config: SshConfig = DEFAULT_SSH_CONFIG) {
        this.host = targetLabel(target);
    }

    private ensureDirs(): Promise<void> {
        if (!this.dirsReady) {
            this.dirsReady = this.local.run(makeArgv("mkdir", "-p", "-m", "0700", "--", this.config.controlDir), { superuser: true })
                    .then(r => {
                        if (r.exitStatus !== 0)
                            throw transportError("protocol", this.local.host, r.argv, r.stderr);
                    });
            this.dirsReady.catch(() => { this.dirsReady = null });
        }
        return this.dirsReady;
    }

    async run(argv: Argv, options: RunOptions = {}): Promise<CommandResult> {
        await this.ensureDirs();
        const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const wire = buildSshArgv(this.target, argv, this.config, timeoutMs / 1000);
        let r: CommandResult;
        try {
            // the remote `timeout` stops first; the local limit adds the connection's own time
            r = await this.local.run(wire, { ...options, superuser: true, changes: false, timeoutMs: timeoutMs + (this.config.connectTimeoutS + 5) * 1000 });
        } catch (e) {
            if (e instanceof TransportError)
                throw transportError(e.kind, this.host, argv, e.detail, timeoutMs);
            throw e;
        }
        const failure = classifySshFailure(r.exitStatus, r.stderr);
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

    async close(): Promise<void> {
        try {
            await this.local.run(buildSshExitArgv(this.target, this.config), { superuser: true, timeoutMs: 10_000 });
        } catch {
            // no master running: nothing to close
        }
    }

    /** First contact: the host's keys and their SHA256 fingerprints, to show the admin before anything is trusted. */
    async offerHostKeys(): Promise<HostKeyOffer> {
        const scan = await this.local.run(buildKeyscanArgv(this.target), { timeoutMs: 15_000 });
        const keys = parseKeyscan(scan.stdout, this.target);
        if (keys.length === 0)
            throw transportError("unreachable", this.host, scan.argv, scan.stderr);
        const fp = await this.local.run(FINGERPRINT_ARGV, { input: keys.map(k => k.line).join("\n") + "\n", timeoutMs: 10_000 });
        const fingerprints = parseFingerprints(fp.stdout);
        if (fingerprints.length !== keys.length)
            throw transportError("protocol", this.local.host, fp.argv, fp.stderr);
        return { target: this.target, keys, fingerprints };
    }

    /** After the admin confirmed: appends exactly the offered lines (no second scan) to root's known_hosts. */
    async trustHostKeys(offer: HostKeyOffer): Promise<CommandResult> {
        if (knownHostsName(offer.target) !== knownHostsName(this.target) || offer.target.user !== this.target.user)
            throw new Error("host key offer is for another host");
        const keys = parseKeyscan(offer.keys.map(k => k.line).join("\n"), this.target);
        const dir = await this.local.run(makeArgv("mkdir", "-p", "-m", "0700", "--", dirname(this.config.knownHostsFile)), { superuser: true });
        if (dir.exitStatus !== 0)
            return dir;
        return this.local.run(makeArgv("tee", "-a", "--", this.config.knownHostsFile),
                              { input: keys.map(k => k.line).join("\n") + "\n", superuser: true, changes: true });
    }

    /** For a changed key, once the admin has checked with the host's administrator: `ssh-keygen -R`. */
    forgetHostKey(): Promise<CommandResult> {
        return this.local.run(makeArgv("ssh-keygen", "-R", knownHostsName(this.target), "-f", this.config.knownHostsFile),
                              { superuser: true, changes: true });
    }
}
