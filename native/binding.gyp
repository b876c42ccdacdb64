# vrrpd's small native addon: the few system calls Node and raw-socket cannot make
# (AF_PACKET frames for gratuitous ARP and unsolicited NA, the IPv4 VRRP socket with a
# synchronous send and batched receive, the IPv6 VRRP socket with ancillary data, TCP/UDP sockets carrying SO_MARK, an ICMP/ICMPv6 socket and an ARP socket for the uplink probes, the control socket's listener, sd_notify, mlockall, real-time scheduling, interface index / hardware address, entering a network namespace). Linux only. Built by `npm ci` through the
# root package's "install" script (node-gyp-build), loaded by src/kernel/native.ts.
{
  "targets": [
    {
      "target_name": "vrrpd_native",
      "sources": [
        "src/addon.cc",
        "src/errors.cc",
        "src/packet_socket.cc",
        "src/ipv4_socket.cc",
        "src/advert_offload.cc",
        "src/ipv6_socket.cc",
        "src/marked_socket.cc",
        "src/arp_socket.cc",
        "src/icmp_socket.cc",
        "src/sd_notify.cc",
        "src/unix_server.cc",
        "src/scheduling.cc",
        "src/interfaces.cc",
        "src/namespaces.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"]
    }
  ]
}
