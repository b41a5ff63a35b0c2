/*
 * The face of a fake tool inside a simulated host (toolsrv.py is the body). Installed under the tool's name on the
 * host's PATH, it hands its argv, environment, working directory and its own stdin/stdout/stderr (SCM_RIGHTS) to the
 * host's tool server, which runs the tool's Python in a fork of a process that has its libraries loaded already, and
 * exits with the tool's status. A real tool costs a few milliseconds; a Python start-up costs 100-150 ms of CPU,
 * and the page's probe starts about thirty tools at once on two cores (issue 19).
 * Without the server (not started yet, or gone), it runs the tool's script itself: same behaviour, slower.
 * Killed (e.g. by `timeout`), its connection closes and the server kills the tool.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef SOCKET_PATH
#define SOCKET_PATH "/run/vfsim-host/toolsrv.sock"
#endif
#ifndef SCRIPTS
#define SCRIPTS "/run/vfsim-host/fs/fakesrc/"
#endif

extern char **environ;

static void fallback(char **argv, const char *name) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, SCRIPTS "%s", name);
    execv(path, argv);
    fprintf(stderr, "%s: %s: %s\n", name, path, strerror(errno));
    _exit(127);
}

/* appends s and its NUL to the request buffer */
static int put(char **buf, size_t *len, size_t *cap, const char *s) {
    size_t n = strlen(s) + 1;
    while (*len + n > *cap) {
        *cap = *cap ? *cap * 2 : 65536;
        if (!(*buf = realloc(*buf, *cap)))
            return -1;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    return 0;
}

int main(int argc, char **argv) {
    char *copy = strdup(argv[0]);
    const char *name = basename(copy);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    strncpy(sa.sun_path, SOCKET_PATH, sizeof sa.sun_path - 1);
    if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa) < 0)
        fallback(argv, name);

    /* request: name, cwd, argc, argv..., then the environment; NUL-separated, the length first */
    char *buf = NULL, cwd[PATH_MAX], num[32];
    size_t len = 0, cap = 0;
    if (!getcwd(cwd, sizeof cwd))
        strcpy(cwd, "/");
    snprintf(num, sizeof num, "%d", argc);
    int bad = put(&buf, &len, &cap, name) || put(&buf, &len, &cap, cwd) || put(&buf, &len, &cap, num);
    for (int i = 0; i < argc && !bad; i++)
        bad = put(&buf, &len, &cap, argv[i]);
    for (char **e = environ; *e && !bad; e++)
        bad = put(&buf, &len, &cap, *e);
    if (bad)
        fallback(argv, name);

    uint32_t n = (uint32_t)len;
    int fds[3] = { 0, 1, 2 };
    char control[CMSG_SPACE(sizeof fds)];
    memset(control, 0, sizeof control);
    struct iovec iov = { .iov_base = &n, .iov_len = sizeof n };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    if (sendmsg(s, &msg, MSG_NOSIGNAL) != sizeof n)
        fallback(argv, name);
    for (size_t off = 0; off < len;) {
        ssize_t w = send(s, buf + off, len - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, "%s: lost the simulated host's tool server\n", name);
            return 125;
        }
        off += (size_t)w;
    }

    /* answer: the tool's exit status as one byte (128 + N for a signal) */
    unsigned char status;
    ssize_t r;
    do
        r = recv(s, &status, 1, 0);
    while (r < 0 && errno == EINTR);
    if (r != 1) {
        fprintf(stderr, "%s: lost the simulated host's tool server\n", name);
        return 125;
    }
    return status;
}
