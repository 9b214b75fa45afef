/**
 * Request bodies captured from kubectl v1.32.4, which sends protobuf on `create`:
 * `kubectl create namespace x` and `kubectl -n x create configmap c --from-literal=a=b`. gogo-protobuf
 * writes empty strings and an empty creationTimestamp too.
 */

/** The bytes of a hex string. */
function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hex.match(/../g)!.map((byte) => parseInt(byte, 16)));
}

export const KUBECTL_NAMESPACE = fromHex(
  "6b3873000a0f0a02763112094e616d65737061636512190a110a017812001a0022002a0032003800" +
    "420012001a020a001a002200",
);

export const KUBECTL_CONFIGMAP = fromHex(
  "6b3873000a0f0a0276311209436f6e6669674d6170121c0a120a016312001a017822002a00320038" +
    "00420012060a01611201621a002200",
);
