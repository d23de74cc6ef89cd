#!/usr/bin/env bash
# Installs the Debian packages the integration tests use: real servers (etcd, redis,
# zookeeper + a JRE, etcdctl to enable etcd auth), the Go and Python toolchains for
# cross-language plugin tests, GNU time for the benchmarks' peak-RSS figures, openssl
# for TLS test certificates, and dnsmasq (the program only: dnsmasq-base, without a
# system service on port 53) as a DNS server on loopback for SRV discovery tests.
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

PACKAGES=(
  etcd-server etcd-client redis-server zookeeper
  golang-go golang-github-hashicorp-go-plugin-dev golang-google-grpc-dev golang-golang-x-net-dev
  protobuf-compiler golang-goprotobuf-dev
  python3-grpcio python3-grpc-tools
  time openssl dnsmasq-base
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "test dependencies: all installed"
  exit 0
fi

echo "test dependencies: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "not root: run 'sudo apt-get update && sudo apt-get install -y ${missing[*]}'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
