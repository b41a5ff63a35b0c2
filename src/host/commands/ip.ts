/* iproute2: ip (links, addresses, routes) and ss (TCP sockets). */
import { Argv, makeArgv } from "../argv";
import { IpAddress, Netdev } from "../values";

export const ipLinkDetails = (): Argv => makeArgv("ip", "-d", "link", "show");
/** changes */
export const ipLinkSetUp = (dev: Netdev): Argv => makeArgv("ip", "link", "set", "dev", Netdev.of(dev), "up");
/** One line per address: "2: eth0    inet 192.0.2.1/24 … scope global eth0". */
export const ipAddrOneline = (): Argv => makeArgv("ip", "-o", "addr", "show");
export const ipRouteGet = (addr: IpAddress): Argv => makeArgv("ip", "-j", "route", "get", IpAddress.of(addr));
