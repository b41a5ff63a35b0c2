/*
 * Test-only LD_PRELOAD library for the simulated libvirtd (never for a real host).
 *
 * Stands in for the two things this sandbox lacks and a real host has:
 *  1. VF operations on the PF netdev. For <interface type='hostdev'> libvirt (src/util/virhostdev.c) saves the VF's
 *     admin MAC + VLAN, sets the guest's MAC on the VF through the PF over netlink, and restores it on release.
 *     No netdev here has VF operations, so virNetDevSaveNetConfig / ReadNetConfig / SetNetConfig are replaced.
 *     libvirt.so calls them through its own PLT (R_X86_64_JUMP_SLOT relocations), so the interposition also catches
 *     calls made inside libvirt.so. The VF's current MAC/VLAN is recorded in
 *     $VFSIM_VFNET_DIR (default /run/vfsim-host/vfnet)/<pf netdev>_vf<N> as {"mac":"…","vlan":N}, which a fake
 *     `ip link show <pf>` can print as "vf N link/ether … vlan N". libvirt's own save file keeps its real format.
 *  2. Raising RLIMIT_MEMLOCK: root here lacks CAP_SYS_RESOURCE (hard limit 8 MiB). When setrlimit/prlimit of
 *     RLIMIT_MEMLOCK fails with EPERM the limit is kept and success is reported. Nothing else is changed.
 *  3. KVM: the hosts have /dev/kvm (as a RHEL host has, and the page checks it), but KVM does not work in this
 *     sandbox, so QEMU's capabilities are probed without it. libvirt (virQEMUCapsIsValid) then finds "KVM was not
 *     enabled when probing, but it should be usable now" at every lookup and probes QEMU again: 2 s of CPU for each
 *     `virsh version`, which a real host, whose cache stays valid, never pays. So where KVM does not work (tested
 *     once, as QEMU's probe does: open, API version 12, create a VM), libvirtd's stat() of /dev/kvm says ENOENT:
 *     what libvirt would see on a host without KVM. Where KVM works (nested virtualization), nothing is changed:
 *     lying there makes libvirt find "KVM was enabled when probing, but it is not available now" and probe again
 *     (11.7 s per `virsh version` measured on such a machine).
 *
 * Prototypes are declared here (signatures of libvirt 11.3 src/util/virnetdev.h), no libvirt headers needed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/kvm.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct { unsigned char addr[6]; } virMacAddr;
/* libvirt 11.3 layout (checked in the binary: tag is read at offset 8) */
typedef struct {
    bool trunk;
    int nTags;
    unsigned int *tag;
    int nativeMode;
    unsigned int nativeTag;
} virNetDevVlan;

int virNetDevSaveNetConfig(const char *linkdev, int vf, const char *stateDir, bool saveVlan);
int virNetDevReadNetConfig(const char *linkdev, int vf, const char *stateDir,
                           virMacAddr **adminMAC, virNetDevVlan **vlan, virMacAddr **MAC);
int virNetDevSetNetConfig(const char *linkdev, int vf, const virMacAddr *adminMAC,
                          const virNetDevVlan *vlan, const virMacAddr *MAC, bool setVlan);

static const char *vfnet_dir(void)
{
    const char *d = getenv("VFSIM_VFNET_DIR");
    return d && *d ? d : "/run/vfsim-host/vfnet";
}

static void log_call(const char *fmt, const char *a, int vf, const char *b)
{
    const char *path = getenv("VFSIM_PRELOAD_LOG");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    fprintf(f, fmt, a ? a : "(null)", vf, b ? b : "");
    fputc('\n', f);
    fclose(f);
}

static void fmt_mac(const virMacAddr *m, char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
             m->addr[0], m->addr[1], m->addr[2], m->addr[3], m->addr[4], m->addr[5]);
}

static bool parse_mac(const char *s, virMacAddr *m)
{
    unsigned int b[6];
    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
        return false;
    for (int i = 0; i < 6; i++)
        m->addr[i] = (unsigned char)b[i];
    return true;
}

/* Reads {"mac":"..","vlan":N} (or libvirt's {"adminMac":"..","vlanTag":N}); missing keys keep the defaults. */
static void read_json(const char *path, const char *macKey, const char *vlanKey, char mac[18], int *vlan)
{
    char buf[512] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = 0;
    fclose(f);
    char key[40];
    snprintf(key, sizeof(key), "\"%s\"", macKey);
    char *p = strstr(buf, key);
    if (p && (p = strchr(p + strlen(key), '"')))
        snprintf(mac, 18, "%.17s", p + 1);
    snprintf(key, sizeof(key), "\"%s\"", vlanKey);
    p = strstr(buf, key);
    if (p && (p = strchr(p + strlen(key), ':')))
        *vlan = atoi(p + 1);
}

static int write_file_atomic(const char *path, const char *text)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    close(fd);
    return rename(tmp, path);
}

static void vf_state_path(const char *pf, int vf, char *out, size_t len)
{
    snprintf(out, len, "%s/%s_vf%d", vfnet_dir(), pf, vf);
}

/* The VF's admin MAC/VLAN as the PF reports it (a fresh mlx5 VF: 00:00:00:00:00:00, vlan 0). */
static void vf_state_get(const char *pf, int vf, char mac[18], int *vlan)
{
    char path[4096];
    strcpy(mac, "00:00:00:00:00:00");
    *vlan = 0;
    vf_state_path(pf, vf, path, sizeof(path));
    read_json(path, "mac", "vlan", mac, vlan);
}

extern char **environ;

/* $VFSIM_VFNET_HOOK PF VF MAC VLAN, if set: lets the hardware simulator mirror the change in its own state. */
static int run_hook(const char *pf, int vf, const char *mac, int vlan)
{
    const char *hook = getenv("VFSIM_VFNET_HOOK");
    char vfs[16], vlans[16];
    pid_t pid;
    int status;
    if (!hook || !*hook)
        return 0;
    snprintf(vfs, sizeof(vfs), "%d", vf);
    snprintf(vlans, sizeof(vlans), "%d", vlan);
    char *argv[] = { (char *)hook, (char *)pf, vfs, (char *)mac, vlans, NULL };
    if (posix_spawn(&pid, hook, NULL, NULL, argv, environ) != 0)
        return -1;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int vf_state_set(const char *pf, int vf, const char *mac, int vlan)
{
    char path[4096], text[256];
    mkdir(vfnet_dir(), 0755);
    vf_state_path(pf, vf, path, sizeof(path));
    snprintf(text, sizeof(text), "{\"pf\":\"%s\",\"vf\":%d,\"mac\":\"%s\",\"vlan\":%d}\n", pf, vf, mac, vlan);
    if (write_file_atomic(path, text) < 0)
        return -1;
    return run_hook(pf, vf, mac, vlan);
}

/* libvirt calls these with linkdev = PF netdev and vf >= 0 for <interface type='hostdev'> (virhostdev.c). */
int virNetDevSaveNetConfig(const char *linkdev, int vf, const char *stateDir, bool saveVlan)
{
    char mac[18], path[4096], text[256];
    int vlan;
    (void)saveVlan;
    log_call("save %s vf %d %s", linkdev, vf, stateDir);
    if (vf < 0) {
        errno = ENOTSUP;
        return -1;
    }
    vf_state_get(linkdev, vf, mac, &vlan);
    /* same file name and format as libvirt's own virNetDevSaveNetConfig */
    snprintf(path, sizeof(path), "%s/%s_vf%d", stateDir, linkdev, vf);
    snprintf(text, sizeof(text), "{\n  \"adminMac\": \"%s\",\n  \"vlanTag\": %d\n}\n", mac, vlan);
    return write_file_atomic(path, text) < 0 ? -1 : 0;
}

int virNetDevReadNetConfig(const char *linkdev, int vf, const char *stateDir,
                           virMacAddr **adminMAC, virNetDevVlan **vlan, virMacAddr **MAC)
{
    char path[4096], mac[18] = "";
    int tag = -1;
    *adminMAC = NULL;
    *vlan = NULL;
    *MAC = NULL;
    log_call("read %s vf %d %s", linkdev, vf, stateDir);
    snprintf(path, sizeof(path), "%s/%s_vf%d", stateDir, linkdev, vf);
    if (access(path, F_OK) < 0)
        return 0; /* like libvirt: no saved file is not an error */
    read_json(path, "adminMac", "vlanTag", mac, &tag);
    if (mac[0]) {
        /* libvirt frees these with g_free(), which is free() */
        *adminMAC = calloc(1, sizeof(virMacAddr));
        if (!*adminMAC || !parse_mac(mac, *adminMAC)) {
            free(*adminMAC);
            *adminMAC = NULL;
            return -1;
        }
    }
    if (tag != -1) {
        *vlan = calloc(1, sizeof(virNetDevVlan));
        (*vlan)->tag = calloc(1, sizeof(unsigned int));
        (*vlan)->nTags = 1;
        (*vlan)->tag[0] = (unsigned int)tag;
    }
    unlink(path);
    return 0;
}

int virNetDevSetNetConfig(const char *linkdev, int vf, const virMacAddr *adminMAC,
                          const virNetDevVlan *vlan, const virMacAddr *MAC, bool setVlan)
{
    char mac[18];
    int tag;
    if (vf < 0) {
        errno = ENOTSUP;
        return -1;
    }
    vf_state_get(linkdev, vf, mac, &tag);
    if (adminMAC)
        fmt_mac(adminMAC, mac);
    else if (MAC)
        fmt_mac(MAC, mac);
    if (vlan && vlan->nTags >= 1 && vlan->tag)
        tag = (int)vlan->tag[0];
    else if (setVlan)
        tag = 0;
    log_call("set %s vf %d mac %s", linkdev, vf, mac);
    return vf_state_set(linkdev, vf, mac, tag) < 0 ? -1 : 0;
}

/* ---- memlock: keep the limit when raising it is not permitted ---- */

/* Declared here, not from <sys/resource.h>, so one definition serves the plain and the 64-bit variants (identical
 * on x86_64). */
struct rlimit { unsigned long rlim_cur, rlim_max; };
#define RLIMIT_MEMLOCK 8
typedef int (*setrlimit_fn)(int, const struct rlimit *);
typedef int (*prlimit_fn)(pid_t, int, const struct rlimit *, struct rlimit *);

static int memlock_eperm(int resource, const struct rlimit *new_limit, int rc)
{
    if (rc < 0 && errno == EPERM && resource == RLIMIT_MEMLOCK && new_limit) {
        errno = 0;
        return 0;
    }
    return rc;
}

int setrlimit(int resource, const struct rlimit *rlim)
{
    static setrlimit_fn real;
    if (!real)
        real = (setrlimit_fn)dlsym(RTLD_NEXT, "setrlimit");
    return memlock_eperm(resource, rlim, real(resource, rlim));
}

int setrlimit64(int resource, const struct rlimit *rlim)
{
    static setrlimit_fn real;
    if (!real)
        real = (setrlimit_fn)dlsym(RTLD_NEXT, "setrlimit64");
    return memlock_eperm(resource, rlim, real(resource, rlim));
}

int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit)
{
    static prlimit_fn real;
    if (!real)
        real = (prlimit_fn)dlsym(RTLD_NEXT, "prlimit");
    return memlock_eperm(resource, new_limit, real(pid, resource, new_limit, old_limit));
}

int prlimit64(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit)
{
    static prlimit_fn real;
    if (!real)
        real = (prlimit_fn)dlsym(RTLD_NEXT, "prlimit64");
    return memlock_eperm(resource, new_limit, real(pid, resource, new_limit, old_limit));
}

/* 3. /dev/kvm, as libvirtd's KVM check sees it (see the top of this file) */
typedef int (*stat_fn)(const char *, struct stat *);

/* KVM works when QEMU's own probe would find it so: the device opens, speaks API 12 and creates a VM */
static int kvm_works(void)
{
    static int works = -1;
    if (works < 0) {
        int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
        works = 0;
        if (fd >= 0) {
            if (ioctl(fd, KVM_GET_API_VERSION, 0) == 12) {
                int vm = ioctl(fd, KVM_CREATE_VM, 0);
                works = vm >= 0;
                if (vm >= 0)
                    close(vm);
            }
            close(fd);
        }
    }
    return works;
}

static int no_kvm(const char *path)
{
    if (path && strcmp(path, "/dev/kvm") == 0 && !kvm_works()) {
        errno = ENOENT;
        return 1;
    }
    return 0;
}

int stat(const char *path, struct stat *sb)
{
    static stat_fn real;
    if (no_kvm(path))
        return -1;
    if (!real)
        real = (stat_fn)dlsym(RTLD_NEXT, "stat");
    return real(path, sb);
}

int stat64(const char *path, struct stat64 *sb)
{
    typedef int (*stat64_fn)(const char *, struct stat64 *);
    static stat64_fn real;
    if (no_kvm(path))
        return -1;
    if (!real)
        real = (stat64_fn)dlsym(RTLD_NEXT, "stat64");
    return real(path, sb);
}
