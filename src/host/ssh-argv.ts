/*
 * Pure parts of the SSH transport: the ssh command line, what its failures mean, and host-key first contact
 * (ssh-keyscan, ssh-keygen -lf -). Shared by src/host/ssh.ts and the real-sshd test (test/sim/ssh/).
 */
import { Argv, makeArgv } from "./argv";
import { quoteArgv } from "./quote";
import { TransportErrorKind } from "./transport";
import { Host, IpAddress, Port, SshUser, hostForUri } from "./values";

export interface SshTarget { host: Host; user: SshUser; port: Port }

export interface SshConfig {
    /**
     * root's own known_hosts: ssh here runs as root, and libvirt's qemu+ssh:// migration runs root's ssh too, so
     * the key the admin confirms once serves both (a plugin-private file would leave `virsh migrate` failing with
     * "Host key verification failed").
     */
    knownHostsFile: string;
    /** ControlPath folder (mode 0700, owned by root), one master connection per user@host:port (%C) */
    controlDir: string;
    connectTimeoutS: number;
    /** a dedicated key; default: root's usual keys (~/.ssh/id_*) */
    identityFile?: string;
}

export const DEFAULT_SSH_CONFIG: SshConfig = {
    knownHostsFile: "/root/.ssh/known_hosts",
    controlDir: "/run/cockpit-vf-migration/ssh",
    // with the name lookup's LOOKUP_TIMEOUT_S, a host that does not answer is known within 10 s
    connectTimeoutS: 6,
};

/**
 * ssh's ConnectTimeout starts once the name is resolved: a name server that does not answer would hold it for
 * 10–30 s (resolv.conf's timeout × attempts × servers). The name is looked up first, bounded.
 */
export const LOOKUP_TIMEOUT_S = 3;

/** `getent ahosts -- NAME`: the name looked up as ssh would (NSS: /etc/hosts, DNS); null for an address. */
export const buildLookupArgv = (t: SshTarget): Argv | null =>
    (IpAddress.parse(Host.of(t.host)).ok ? null : makeArgv("getent", "ahosts", "--", Host.of(t.host)));

export const targetLabel = (t: SshTarget): string =>
    `${SshUser.of(t.user)}@${hostForUri(Host.of(t.host))}${Port.of(t.port) === 22 ? "" : `:${t.port}`}`;

/** How known_hosts and ssh-keyscan name the host: `host`, or `[host]:port` off port 22. */
export const knownHostsName = (t: SshTarget): string =>
    (Port.of(t.port) === 22 ? Host.of(t.host) : `[${Host.of(t.host)}]:${t.port}`);

/** How long an idle master connection outlives its last command (a page closed without `ssh -O exit`). */
export const CONTROL_PERSIST_S = 60;

function options(c: SshConfig): string[] {
    const o = [
        "BatchMode=yes", "StrictHostKeyChecking=yes", `UserKnownHostsFile=${c.knownHostsFile}`,
        "ControlMaster=auto", `ControlPath=${c.controlDir}/%C`, `ControlPersist=${CONTROL_PERSIST_S}`,
        // root's ssh_config cannot hand the destination an agent, an X display, tunnels or a local command
        "ForwardAgent=no", "ForwardX11=no", "ClearAllForwardings=yes", "PermitLocalCommand=no",
        `ConnectTimeout=${c.connectTimeoutS}`, "ServerAliveInterval=5", "ServerAliveCountMax=2",
        ...(c.identityFile ? [`IdentityFile=${c.identityFile}`, "IdentitiesOnly=yes"] : []),
    ];
    return o.flatMap(x => ["-o", x]);
}

/**
 * `ssh … -l USER -p PORT HOST -- LINE`: ssh joins whatever follows the host with spaces and the remote login shell
 * parses it, hence one string from quoteArgv. `timeout` on the remote side also stops the command when this side
 * gives up (killing the local ssh alone leaves a hung remote command running).
 */
export function buildSshArgv(t: SshTarget, remote: Argv, c: SshConfig, remoteTimeoutS?: number): Argv {
    const words = remoteTimeoutS !== undefined ? ["timeout", "-k", "5", String(Math.max(1, Math.ceil(remoteTimeoutS))), ...remote] : [...remote];
    return makeArgv("ssh", ...options(c), "-T", "-l", SshUser.of(t.user), "-p", Port.of(t.port), Host.of(t.host), "--", quoteArgv(words));
}

/** `ssh -O exit`: ends the shared master connection. */
export const buildSshExitArgv = (t: SshTarget, c: SshConfig): Argv =>
    makeArgv("ssh", ...options(c), "-O", "exit", "-l", SshUser.of(t.user), "-p", Port.of(t.port), Host.of(t.host));

/**
 * ssh exits 255 for its own failures (a remote command's status is passed through, 255 included: we then look at
 * ssh's wording). null = not an ssh failure: the remote command ran. A remote command that exits 255 and prints ssh's
 * wording is taken for ssh (docs/troubleshooting.md): both arrive on the same stderr.
 */
export function classifySshFailure(exitStatus: number, stderr: string): TransportErrorKind | null {
    if (exitStatus !== 255)
        return null;
    if (/REMOTE HOST IDENTIFICATION HAS CHANGED|POSSIBLE DNS SPOOFING DETECTED/.test(stderr))
        return "host-key-changed";
    if (/Host key verification failed|host key is known for .* you have requested strict checking|No .* host key is known for/.test(stderr))
        return "host-key-unknown";
    if (/Permission denied \(|Too many authentication failures|Authentication failed/.test(stderr))
        return "auth-refused";
    if (/Could not resolve hostname|No route to host|Connection refused|Connection timed out|Operation timed out|Network is unreachable|Connection (closed|reset) by|timed out during banner exchange|kex_exchange_identification|Broken pipe|Timeout, server .* not responding|Connection to \S+ closed by remote host/.test(stderr))
        return "unreachable";
    if (/^(ssh: |mux_client_|Control socket|ControlPath |muxclient|Unable to negotiate)/m.test(stderr))
        return "protocol";
    return null;
}

/** Remote exit 127 from `timeout` or the login shell: the program is not installed there. */
export function remoteCommandNotFound(exitStatus: number, stderr: string): boolean {
    return exitStatus === 127 && /failed to run command|command not found|No such file or directory/.test(stderr);
}

/* first contact */
export const buildKeyscanArgv = (t: SshTarget, timeoutS = 5): Argv =>
    makeArgv("ssh-keyscan", "-T", timeoutS, "-p", Port.of(t.port), "--", Host.of(t.host));
export const FINGERPRINT_ARGV = makeArgv("ssh-keygen", "-l", "-E", "sha256", "-f", "-");

const KEY_TYPES = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
    "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"];

export interface HostKeyLine { type: string; line: string }
export interface Fingerprint { bits: number; sha256: string; type: string }
/**
 * What the admin is shown and, once confirmed, exactly what is written: keys[i] is the key of fingerprints[i].
 * replaces: the host answered with another key than the one root's known_hosts holds; that one goes first.
 */
export interface HostKeyOffer { target: SshTarget; keys: HostKeyLine[]; fingerprints: Fingerprint[]; replaces: boolean }

/** Host key types in the order one is offered (sk-* keys are never host keys). */
const OFFER_ORDER = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"];

/**
 * The one key offered at first contact: ED25519, or when the host has none the first other type. ssh-keyscan opens
 * one connection per key type, so an on-path attacker can relay the ED25519 one to the real host and answer the
 * others with its own keys: only the key whose fingerprint the admin compared may be trusted.
 */
export function keyToOffer(keys: readonly HostKeyLine[]): HostKeyLine | null {
    for (const type of OFFER_ORDER) {
        const k = keys.find(x => x.type === type);
        if (k)
            return k;
    }
    return null;
}

/** The type ssh-keygen -l prints for a key type: ssh-ed25519 → ED25519, ecdsa-sha2-* → ECDSA, ssh-rsa → RSA. */
export function fingerprintTypeOf(keyType: string): string {
    if (keyType.startsWith("ecdsa-sha2-"))
        return "ECDSA";
    return keyType.replace(/^ssh-/, "").toUpperCase();
}

/** `ssh-keygen -F NAME -f FILE`: the entries known_hosts already has for that name (hashed or not). */
export const buildKnownHostsFindArgv = (t: SshTarget, c: SshConfig): Argv =>
    makeArgv("ssh-keygen", "-F", knownHostsName(t), "-f", c.knownHostsFile);

/** The lines of `keys` whose type and key are not among the entries `ssh-keygen -F` printed (repeated trust adds nothing). */
export function missingKeyLines(keys: readonly HostKeyLine[], found: string): HostKeyLine[] {
    const known = new Set(found.split("\n").flatMap(l => {
        const m = /^(?!#)\S+ (\S+) ([A-Za-z0-9+/]+={0,2})(?: .*)?$/.exec(l.trim());
        return m ? [`${m[1]} ${m[2]}`] : [];
    }));
    return keys.filter(k => !known.has(k.line.split(" ").slice(1).join(" ")));
}

/**
 * The lines of ssh-keyscan that may go into known_hosts: exactly `NAME TYPE BASE64` for this target's name — no
 * markers (@cert-authority, @revoked), no other host, no options. Anything else is dropped.
 */
export function parseKeyscan(text: string, t: SshTarget): HostKeyLine[] {
    const name = knownHostsName(t);
    const seen = new Set<string>();
    const keys: HostKeyLine[] = [];
    for (const raw of text.split("\n")) {
        const m = /^(\S+) (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(raw.trim());
        if (!m || m[1] !== name || !KEY_TYPES.includes(m[2]) || seen.has(m[3]))
            continue;
        seen.add(m[3]);
        keys.push({ type: m[2], line: `${name} ${m[2]} ${m[3]}` });
    }
    return keys;
}

/** `256 SHA256:abc… [host]:2222 (ED25519)` */
export function parseFingerprints(text: string): Fingerprint[] {
    return text.split("\n").flatMap(l => {
        const m = /^(\d+) (SHA256:[A-Za-z0-9+/]+=*) .* \(([A-Z0-9-]+)\)$/.exec(l.trim());
        return m ? [{ bits: Number(m[1]), sha256: m[2], type: m[3] }] : [];
    });
}
