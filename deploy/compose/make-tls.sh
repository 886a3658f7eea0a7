#!/bin/sh
# Makes deploy/compose/tls/ for a first evaluation: a certificate authority of its own, the
# certificate of the gateway and the dashboard for the names given, and PostgreSQL's for the host
# "postgres" (the services connect with sslmode=verify-full). In production put certificates from
# your company CA in tls/ instead, under the same file names (docs/deploy.md, "TLS").
#
#   ./make-tls.sh tcportal.example.com 192.0.2.10
#
# Run it again after adding names: the CA is kept (PCs that trust it keep trusting the server).
set -eu
if [ "$#" -lt 1 ]; then
  echo "usage: $0 <host name or address the PCs use>..." >&2
  exit 2
fi
cd "$(dirname "$0")"
umask 077
# The CA's key stays out of tls/, which is mounted into the containers.
mkdir -p tls tls-ca
chmod 755 tls
cd tls
cakey=../tls-ca/ca-key.pem

if [ ! -f ca.pem ] || [ ! -f "$cakey" ]; then
  openssl req -x509 -new -newkey rsa:3072 -nodes -sha256 -days 3650 \
    -subj "/O=TC Portal Monitor/CN=TC Portal Monitor compose CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$cakey" -out ca.pem 2>/dev/null
fi

names=""
for name in "$@"; do
  case "$name" in
    *:*) names="$names,IP:$name" ;;
    *[!0-9.]*) names="$names,DNS:$name" ;;
    *) names="$names,IP:$name" ;;
  esac
done

# issue <common name> <key file> <certificate file> <subjectAltName>
issue() {
  openssl req -new -newkey rsa:2048 -nodes -subj "/O=TC Portal Monitor/CN=$1" \
    -keyout "$2" -out "$3.csr" 2>/dev/null
  printf '%s\n' \
    "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" \
    "subjectAltName=$4" > "$3.ext"
  openssl x509 -req -in "$3.csr" -CA ca.pem -CAkey "$cakey" \
    -set_serial "0x$(openssl rand -hex 16)" -days 825 -sha256 -extfile "$3.ext" -out "$3" 2>/dev/null
  rm -f "$3.csr" "$3.ext"
}

issue "$1" server-key.pem server.pem "${names#,}"
issue postgres postgres-key.pem postgres.pem "DNS:postgres"
chmod 644 ca.pem server.pem postgres.pem

echo "Made $(pwd): ca.pem (import it on the PCs), server.pem for: $*, postgres.pem for: postgres"
echo "The services run as uid 10001 and must read server-key.pem:"
echo "  sudo chown 10001:10001 $(pwd)/server-key.pem"
