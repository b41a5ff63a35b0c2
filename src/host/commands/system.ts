/* Small system tools: lspci, uname, modinfo, hostname, printenv, and logger (the journal's syslog line). */
import { Argv, makeArgv } from "../argv";
import { allowedWord } from "./common";

/** Mellanox functions (PFs and VFs), with numeric ids. */
export const lspciMellanox = (): Argv => makeArgv("lspci", "-D", "-nn", "-d", "15b3:");
export const unameRelease = (): Argv => makeArgv("uname", "-r");
export const modinfo = (module: "mlx5_vfio_pci" | "mlx5_core" | "vfio_pci"): Argv =>
    makeArgv("modinfo", "--", allowedWord(module, ["mlx5_vfio_pci", "mlx5_core", "vfio_pci"]));
/** The host's name as the admin knows it (the page otherwise only knows "localhost"). */
export const hostName = (): Argv => makeArgv("hostname");
/** "CLIENT PORT SERVER PORT" of the SSH session this command runs in; exits 1 on a host not reached over SSH. */
export const sshConnectionEnv = (): Argv => makeArgv("printenv", "SSH_CONNECTION");

export const LOG_TAG = "cockpit-vf-migration";
export const loggerArgv = (message: string): Argv => {
    if (message.includes("\0"))
        throw new Error("NUL in log message");
    return makeArgv("logger", "-t", LOG_TAG, "-p", "user.notice", "--", message);
};

/** The running libvirt-dbus with its arguments (its --threads limit): "PID libvirt-dbus --system …". */
export const libvirtDbusProcess = (): Argv => makeArgv("pgrep", "-a", "-x", "libvirt-dbus");
