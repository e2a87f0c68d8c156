# shellcheck shell=bash
# The sandbox's own PKI, in $IRSA_SANDBOX_DIR/pki. Sourced after common.sh.
#
# Kept across `up`s (so a CA a user trusted, and the OIDC provider thumbprint, stay stable) and
# regenerated when missing or within a day of expiry:
#   ca.{key,crt}                 the sandbox CA (self-signed, 1 year)
#   apiserver.{key,crt}          serving cert for 127.0.0.1 / localhost, signed by the CA
#   apiserver-bundle.crt         leaf + CA: served as the chain, so a client computing the IAM
#                                thumbprint of the top CA (as eksctl does) finds the sandbox CA
#   sa.{key,pub}                 ServiceAccount token signing key pair
#   tokens.csv                   static bearer token of the sandbox admin (group system:masters)

PKI_DIR="$IRSA_SANDBOX_DIR/pki"

pki_valid() {
  local f
  for f in ca.key ca.crt apiserver.key apiserver-bundle.crt sa.key sa.pub tokens.csv; do
    [[ -s "$PKI_DIR/$f" ]] || return 1
  done
  openssl x509 -checkend 86400 -noout -in "$PKI_DIR/ca.crt" >/dev/null &&
    openssl x509 -checkend 86400 -noout -in "$PKI_DIR/apiserver.crt" >/dev/null
}

pki_ensure() {
  pki_valid && return 0
  command -v openssl >/dev/null || sandbox_die "openssl is needed to make the sandbox CA"
  irsa_log "generating sandbox PKI in $PKI_DIR"
  rm -rf "$PKI_DIR"
  mkdir -p "$PKI_DIR"
  (
    cd "$PKI_DIR"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -keyout ca.key -out ca.crt \
      -subj "/CN=backstage-irsa-sandbox-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
      -subj "/CN=kube-apiserver" 2>/dev/null
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >san.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
      -extfile san.ext -out apiserver.crt 2>/dev/null
    cat apiserver.crt ca.crt >apiserver-bundle.crt
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    echo "$(openssl rand -hex 24),irsa-sandbox-admin,irsa-sandbox-admin,\"system:masters\"" >tokens.csv
    rm -f apiserver.csr san.ext ca.srl
    chmod 644 ca.crt apiserver.crt apiserver-bundle.crt sa.pub
  )
}

pki_admin_token() { cut -d, -f1 "$PKI_DIR/tokens.csv"; }
