#!/usr/bin/env bash
# Generates the LOCAL-ONLY key material docker-compose.yml mounts from deploy/compose/secrets/ (git-ignored):
# a throw-away CA, TLS certificates for Dex and the proxy, the session-signing key pair, the masking key and a
# truststore holding the CA (for the JVMs). Nothing here is used in production; never commit the output.
# The upstream kubeconfig (the cluster the proxy fronts, e.g. a kind cluster) is yours to copy to secrets/kubeconfig.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p secrets && cd secrets
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=vigil-dev-ca" -keyout ca.key -out ca.crt 2>/dev/null
cert() { # name, subjectAltName
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
    -extfile <(printf 'subjectAltName=%s' "$2") -out "$1.crt" 2>/dev/null
  rm -f "$1.csr"
}
cert dex "DNS:dex,DNS:localhost,IP:127.0.0.1"
cert proxy "DNS:proxy,DNS:localhost,IP:127.0.0.1"
openssl genpkey -algorithm ed25519 -out signing.key.pem
openssl pkey -in signing.key.pem -pubout -out signing.pub.pem
openssl rand -out masking.key 32
rm -f truststore.p12
# the truststore holds only the public CA certificate; its password is a fixed placeholder, not a secret
keytool -importcert -noprompt -alias vigil-dev-ca -file ca.crt -keystore truststore.p12 -storetype PKCS12 \
  -storepass changeit >/dev/null
rm -f ca.key ca.srl  # the CA only signs these two certificates
chmod 0644 ./*   # read by the containers' non-root user (uid 10001) and by Dex
[ -f kubeconfig ] || echo "now copy the kubeconfig of the cluster to protect to $(pwd)/kubeconfig" >&2
