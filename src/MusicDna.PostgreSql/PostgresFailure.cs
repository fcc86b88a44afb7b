using System.Net.Sockets;
using MusicDna.Core.Errors;
using Npgsql;

namespace MusicDna.PostgreSql;

/// <summary>
/// Which database failures mean "the database is down or restarting" (retry later: UNAVAILABLE) rather than a bug,
/// and the one sentence the caller gets for them.
/// </summary>
internal static class PostgresFailure
{
    public const string Reason = "CATALOGUE_UNAVAILABLE";

    /// <summary>The retry hint sent with UNAVAILABLE: about how long a PostgreSQL restart or fail-over takes.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    public static bool IsUnavailable(Exception error) => error switch
    {
        CommitOutcomeUnknownException => true,
        // Connection errors (class 08), the server shutting down or starting (57P01-57P03), too many connections.
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal)
            || p.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException => true,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    public static UnavailableException Unavailable(Exception error)
    {
        var cause = error is CommitOutcomeUnknownException unknown ? unknown.InnerException ?? error : error;
        var detail = cause.Message.Split('\n', 2)[0].Trim().TrimEnd('.');
        var message = error is CommitOutcomeUnknownException
            ? $"The catalogue database went away while committing ({detail}); the change may or may not be stored, and sending it again is safe."
            : $"The catalogue database cannot be reached ({detail}); try again shortly.";
        return new UnavailableException(Reason, message, RetryAfter, error);
    }
}

/// <summary>The connection broke after COMMIT was sent: the transaction may have committed. Never retried.</summary>
internal sealed class CommitOutcomeUnknownException(Exception inner) : Exception("commit outcome unknown", inner);
