// The Go standard library's importable packages (no internal/ or vendor/ paths), written from the Go 1.22 package
// list (https://pkg.go.dev/std) because no Go toolchain was available to run `go list std`, plus the packages added in
// Go 1.23 and 1.24 (release notes). Regenerate with `go list std | grep -v -e internal -e vendor` when Go is installed.
// The version in which a package appeared is recorded for packages newer than Go 1.20.
export const GO_STDLIB_MAX_VERSION = '1.24';

export const GO_STDLIB_SINCE: Readonly<Record<string, string>> = {
  cmp: '1.21',
  'log/slog': '1.21',
  maps: '1.21',
  slices: '1.21',
  'testing/slogtest': '1.21',
  'go/version': '1.22',
  'math/rand/v2': '1.22',
  iter: '1.23',
  structs: '1.23',
  unique: '1.23',
  weak: '1.24',
  'crypto/hkdf': '1.24',
  'crypto/pbkdf2': '1.24',
  'crypto/sha3': '1.24',
  'crypto/mlkem': '1.24',
  'crypto/fips140': '1.24',
  'testing/synctest': '1.24',
};

const GO_1_20_PACKAGES = `
archive/tar archive/zip arena bufio bytes compress/bzip2 compress/flate compress/gzip compress/lzw compress/zlib
container/heap container/list container/ring context crypto crypto/aes crypto/cipher crypto/des crypto/dsa
crypto/ecdh crypto/ecdsa crypto/ed25519 crypto/elliptic crypto/hmac crypto/md5 crypto/rand crypto/rc4 crypto/rsa
crypto/sha1 crypto/sha256 crypto/sha512 crypto/subtle crypto/tls crypto/x509 crypto/x509/pkix database/sql
database/sql/driver debug/buildinfo debug/dwarf debug/elf debug/gosym debug/macho debug/pe debug/plan9obj embed
encoding encoding/ascii85 encoding/asn1 encoding/base32 encoding/base64 encoding/binary encoding/csv encoding/gob
encoding/hex encoding/json encoding/pem encoding/xml errors expvar flag fmt go/ast go/build go/build/constraint
go/constant go/doc go/doc/comment go/format go/importer go/parser go/printer go/scanner go/token go/types hash
hash/adler32 hash/crc32 hash/crc64 hash/fnv hash/maphash html html/template image image/color image/color/palette
image/draw image/gif image/jpeg image/png index/suffixarray io io/fs io/ioutil log log/syslog math math/big math/bits
math/cmplx math/rand mime mime/multipart mime/quotedprintable net net/http net/http/cgi net/http/cookiejar
net/http/fcgi net/http/httptest net/http/httptrace net/http/httputil net/http/pprof net/mail net/netip net/rpc
net/rpc/jsonrpc net/smtp net/textproto net/url os os/exec os/signal os/user path path/filepath plugin reflect regexp
regexp/syntax runtime runtime/asan runtime/cgo runtime/coverage runtime/debug runtime/metrics runtime/msan
runtime/pprof runtime/race runtime/trace sort strconv strings sync sync/atomic syscall syscall/js testing
testing/fstest testing/iotest testing/quick text/scanner text/tabwriter text/template text/template/parse time
time/tzdata unicode unicode/utf16 unicode/utf8 unsafe
`;

export const GO_STDLIB_PACKAGES: ReadonlySet<string> = new Set([
  ...GO_1_20_PACKAGES.split(/\s+/).filter((name) => name !== ''),
  ...Object.keys(GO_STDLIB_SINCE),
]);
