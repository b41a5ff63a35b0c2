/* libvirt and QEMU migration URIs: generated values never change the URI's structure (checked with WHATWG URL). */
import fc from "fast-check";
import { installFakeCockpit } from "../fake-cockpit";
import { inputs, property } from "./arbitraries";
import { libvirtUri, migrationUri } from "../../../src/host/uri";
import { Host, Port, SshUser } from "../../../src/host/values";

beforeAll(() => { installFakeCockpit() });

const hostIn = inputs(fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6()));
property("libvirt URIs: scheme, user, host, port and path are exactly the parts given",
         fc.tuple(fc.constantFrom("ssh", "tls", "tcp") as fc.Arbitrary<"ssh" | "tls" | "tcp">, hostIn,
                  inputs(fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/)), fc.option(inputs(fc.integer({ min: 0, max: 70000 }).map(String)))),
         ([transport, h, u, p]) => {
             const host = Host.parse(h), user = SshUser.parse(u), port = p === null ? null : Port.parse(p);
             if (!host.ok || !user.ok || (port && !port.ok))
                 return;
             const uri = libvirtUri({ transport, host: host.value, user: user.value, port: port?.ok ? port.value : undefined });
             const url = new URL(uri);
             const wantHost = host.value.includes(":") ? `[${host.value}]` : host.value;
             if (url.protocol !== `qemu+${transport}:` || url.hostname !== wantHost || url.pathname !== "/system" ||
                 url.search !== "" || url.hash !== "" || url.password !== "" ||
                 url.username !== (transport === "ssh" ? user.value : "") || url.port !== (port?.ok ? String(port.value) : ""))
                 throw new Error(`URI structure changed: ${uri}`);
         });

property("migration URIs: tcp://host[:port] and nothing else", fc.tuple(hostIn, inputs(fc.integer({ min: 0, max: 70000 }).map(String))),
         ([h, p]) => {
             const host = Host.parse(h), port = Port.parse(p);
             if (!host.ok || !port.ok)
                 return;
             const uri = migrationUri(host.value, port.value);
             const url = new URL(uri);
             const wantHost = host.value.includes(":") ? `[${host.value}]` : host.value;
             if (url.protocol !== "tcp:" || url.hostname !== wantHost || url.port !== String(port.value) || url.pathname !== "" ||
                 url.username !== "" || url.search !== "")
                 throw new Error(`URI structure changed: ${uri}`);
         });
