namespace MusicDna.Core.Errors;

/// <summary>
/// A failure the caller can act on. Each subclass maps to one canonical status code at the edge;
/// <see cref="Reason"/> is a stable UPPER_SNAKE_CASE token clients may branch on (AIP-193 ErrorInfo.reason).
/// </summary>
public abstract class MusicDnaException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Reason { get; } = reason;
}

/// <summary>An input value is malformed or out of range. <see cref="Field"/> names it (dotted path).</summary>
public sealed class InvalidInputException(string field, string description, string reason = "INVALID_ARGUMENT")
    : MusicDnaException(reason, $"{field}: {description}")
{
    public string Field { get; } = field;

    public string Description { get; } = description;
}

/// <summary>Something the caller named does not exist (e.g. a seed track id).</summary>
public sealed class NotFoundException(string resourceType, string resourceName, string reason = "NOT_FOUND")
    : MusicDnaException(reason, $"{resourceType} '{resourceName}' was not found")
{
    public string ResourceType { get; } = resourceType;

    public string ResourceName { get; } = resourceName;
}

/// <summary>The system is not in a state where the call can run (no model yet, too few rows, no CUDA device).</summary>
public sealed class PreconditionFailedException(string reason, string message) : MusicDnaException(reason, message);

/// <summary>The call conflicts with work already under way (a second concurrent Train).</summary>
public sealed class ConflictException(string reason, string message) : MusicDnaException(reason, message);

/// <summary>The caller did not prove who it is (no or unknown credentials).</summary>
public sealed class UnauthenticatedException(string reason, string message) : MusicDnaException(reason, message);

/// <summary>The caller is known but its role does not allow the call.</summary>
public sealed class PermissionDeniedException(string reason, string message) : MusicDnaException(reason, message);

/// <summary>The caller asked for more than its share right now; it may try again after <see cref="RetryAfter"/>.</summary>
public sealed class CapacityExceededException(string reason, string message, TimeSpan retryAfter) : MusicDnaException(reason, message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>The call ran past the server's own time limit for it.</summary>
public sealed class CallTimedOutException(string message) : MusicDnaException("CALL_TIME_LIMIT", message);

/// <summary>
/// Something the call needs is down right now (the shared catalogue database): the same call may succeed once it is
/// back, after about <see cref="RetryAfter"/>. Nothing the call was asked to do has been half done.
/// </summary>
public sealed class UnavailableException(string reason, string message, TimeSpan retryAfter, Exception? inner = null)
    : MusicDnaException(reason, message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
