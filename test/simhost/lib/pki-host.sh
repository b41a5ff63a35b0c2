#!/bin/bash
# One simulated host's TLS files: libvirt's (/etc/pki/CA, /etc/pki/libvirt) and QEMU's (/etc/pki/qemu), signed by a
# CA shared by the pair ($VFSIM_RUN/pki-ca, made by whichever host comes first). Arguments: HOST FQDN ADDRESS PKI_DIR.
# Both hosts run this at once: each certificate gets a random serial (a shared serial file, -CAcreateserial, raced:
# about 1 run in 30 left a host without a certificate, and its libvirtd without a TLS listener).
set -euo pipefail
. "$(dirname "$0")/common.sh"
H=$1 FQDN=$2 ADDR=$3 P=$4
CA=$VFSIM_RUN/pki-ca
mkdir -p "$CA" "$P/CA" "$P/libvirt/private" "$P/qemu"
(
    flock 9
    if [ ! -s "$CA/cacert.pem" ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/O=vfsim/CN=vfsim pair CA" \
            -keyout "$CA/cakey.pem" -out "$CA/cacert.pem" 2>/dev/null
    fi
) 9>"$CA/.lock"
cert() { # ROLE(server|client) KEY CERT
    local ext="subjectAltName=DNS:$FQDN,DNS:${FQDN%%.*},IP:$ADDR"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=vfsim/CN=$FQDN" -keyout "$2" 2>/dev/null |
        openssl x509 -req -CA "$CA/cacert.pem" -CAkey "$CA/cakey.pem" -set_serial "0x$(openssl rand -hex 16)" -days 30 \
            -extfile <(printf '%s\nextendedKeyUsage=%sAuth\n' "$ext" "$1") -out "$3" 2>/dev/null
    chmod 600 "$2"
}
cp "$CA/cacert.pem" "$P/CA/cacert.pem"
cert server "$P/libvirt/private/serverkey.pem" "$P/libvirt/servercert.pem"
cert client "$P/libvirt/private/clientkey.pem" "$P/libvirt/clientcert.pem"
cp "$CA/cacert.pem" "$P/qemu/ca-cert.pem"
cp "$P/libvirt/servercert.pem" "$P/qemu/server-cert.pem"; cp "$P/libvirt/private/serverkey.pem" "$P/qemu/server-key.pem"
cp "$P/libvirt/clientcert.pem" "$P/qemu/client-cert.pem"; cp "$P/libvirt/private/clientkey.pem" "$P/qemu/client-key.pem"
