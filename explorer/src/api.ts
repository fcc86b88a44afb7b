// The page's MusicDna client: the generated service over gRPC-Web to the server that served the page, with the
// API key (when one is entered) sent as `authorization: Bearer <key>` like any other client's.
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { MusicDnaService } from "./gen/musicdna/v1/musicdna_pb";

export type MusicDna = Client<typeof MusicDnaService>;

let apiKey = "";

/** Sets the key every later call sends; empty sends none (a server with authentication off). */
export function setApiKey(key: string): void {
  apiKey = key.trim();
}

const withKey: Interceptor = (next) => async (request) => {
  if (apiKey) request.header.set("authorization", `Bearer ${apiKey}`);
  return next(request);
};

export const musicDna: MusicDna = createClient(
  MusicDnaService,
  createGrpcWebTransport({ baseUrl: window.location.origin, interceptors: [withKey] }),
);

/** gRPC's own names for the status codes, as the server's documentation and logs spell them. */
const codeNames: Record<number, string> = {
  [Code.Canceled]: "CANCELLED",
  [Code.Unknown]: "UNKNOWN",
  [Code.InvalidArgument]: "INVALID_ARGUMENT",
  [Code.DeadlineExceeded]: "DEADLINE_EXCEEDED",
  [Code.NotFound]: "NOT_FOUND",
  [Code.AlreadyExists]: "ALREADY_EXISTS",
  [Code.PermissionDenied]: "PERMISSION_DENIED",
  [Code.ResourceExhausted]: "RESOURCE_EXHAUSTED",
  [Code.FailedPrecondition]: "FAILED_PRECONDITION",
  [Code.Aborted]: "ABORTED",
  [Code.OutOfRange]: "OUT_OF_RANGE",
  [Code.Unimplemented]: "UNIMPLEMENTED",
  [Code.Internal]: "INTERNAL",
  [Code.Unavailable]: "UNAVAILABLE",
  [Code.DataLoss]: "DATA_LOSS",
  [Code.Unauthenticated]: "UNAUTHENTICATED",
};

/** A failed call as one readable line: the status, the server's ErrorInfo reason and its message. */
export function describeError(error: unknown): string {
  if (error instanceof ConnectError) {
    const reason = errorInfoReason(error);
    const code = codeNames[error.code] ?? `code ${error.code}`;
    return `${code}${reason ? ` (${reason})` : ""}: ${error.rawMessage || "no message"}`;
  }

  return error instanceof Error ? error.message : String(error);
}

export function isAbort(error: unknown): boolean {
  return error instanceof ConnectError && error.code === Code.Canceled;
}

/** The `reason` of the google.rpc.ErrorInfo detail MusicDna attaches to its errors (field 1, a string), if any. */
function errorInfoReason(error: ConnectError): string | undefined {
  for (const detail of error.details) {
    if ("type" in detail && detail.type === "google.rpc.ErrorInfo" && detail.value instanceof Uint8Array) {
      return readStringField(detail.value, 1);
    }
  }

  return undefined;
}

// Just enough of the protobuf wire format to read one string field of a small message.
function readStringField(bytes: Uint8Array, field: number): string | undefined {
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new RangeError("truncated");
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  try {
    while (offset < bytes.length) {
      const tag = varint();
      const wireType = tag & 7;
      if (wireType === 2) {
        const length = varint();
        const value = bytes.subarray(offset, offset + length);
        offset += length;
        if (tag >>> 3 === field) return new TextDecoder().decode(value);
      } else if (wireType === 0) {
        varint();
      } else if (wireType === 1) {
        offset += 8;
      } else if (wireType === 5) {
        offset += 4;
      } else {
        return undefined;
      }
    }
  } catch {
    return undefined;
  }

  return undefined;
}
