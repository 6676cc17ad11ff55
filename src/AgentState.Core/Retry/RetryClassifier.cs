using System;
using AgentState.Runs;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace AgentState.Retry
{
    /// <summary>
    /// Decides whether a failure is worth another attempt. A failure is first given a <see cref="RunErrorType"/>; the
    /// types in <see cref="NeverRetried"/> are final whatever the caller says; otherwise it is retried when its type is
    /// in <see cref="RetryableTypes"/>, when it is one of <see cref="RetryableExceptions"/>, or when the predicate says so.
    /// </summary>
    public sealed class RetryClassifier
    {
        /// <summary>Timeouts, crashes and infrastructure errors: what may well go differently next time.</summary>
        public static IReadOnlyCollection<RunErrorType> DefaultRetryableTypes { get; } =
            new[] { RunErrorType.Timeout, RunErrorType.AgentCrash, RunErrorType.InfrastructureError };

        /// <summary>
        /// Type-check, test and verification failures say the work itself is wrong, and a cancelled run was stopped
        /// on purpose: trying again cannot help, so no option makes these retryable.
        /// </summary>
        public static IReadOnlyCollection<RunErrorType> NeverRetried { get; } =
            new[] { RunErrorType.TypecheckFailed, RunErrorType.TestFailed, RunErrorType.VerificationFailed, RunErrorType.Cancelled };

        private readonly HashSet<RunErrorType> _types;
        private readonly Type[] _exceptions;
        private readonly Func<Exception, RunErrorType, bool>? _predicate;
        private readonly Func<Exception, RunErrorType?>? _typeOf;

        /// <summary>The defaults: <see cref="DefaultRetryableTypes"/> only.</summary>
        public RetryClassifier()
            : this(null, null, null, null)
        {
        }

        /// <summary>A classifier with the caller's rules.</summary>
        /// <param name="retryableTypes">The failure types to retry; null keeps <see cref="DefaultRetryableTypes"/>.</param>
        /// <param name="retryableExceptions">Exception types (and their subclasses) to retry as well.</param>
        /// <param name="predicate">Says yes to retry more failures; it never overrides <see cref="NeverRetried"/>.</param>
        /// <param name="typeOf">Says which type a failure is, before the built-in rules (null: no opinion).</param>
        /// <exception cref="ArgumentException">A type in <see cref="NeverRetried"/>, or a type that is not an exception, was given.</exception>
        public RetryClassifier(IEnumerable<RunErrorType>? retryableTypes, IEnumerable<Type>? retryableExceptions,
            Func<Exception, RunErrorType, bool>? predicate, Func<Exception, RunErrorType?>? typeOf)
        {
            _types = new HashSet<RunErrorType>(retryableTypes ?? DefaultRetryableTypes);
            RunErrorType[] refused = _types.Where(t => NeverRetried.Contains(t)).ToArray();
            if (refused.Length > 0)
            {
                throw new ArgumentException($"{string.Join(", ", refused)} is never retried: running the same work again cannot change that outcome.", nameof(retryableTypes));
            }

            _exceptions = (retryableExceptions ?? Enumerable.Empty<Type>()).ToArray();
            Type? notException = _exceptions.FirstOrDefault(t => !typeof(Exception).IsAssignableFrom(t));
            if (notException != null)
            {
                throw new ArgumentException($"'{notException.FullName}' is not an exception type.", nameof(retryableExceptions));
            }

            _predicate = predicate;
            _typeOf = typeOf;
        }

        /// <summary>The failure types this classifier retries.</summary>
        public IReadOnlyCollection<RunErrorType> RetryableTypes => _types;

        /// <summary>The exception types this classifier retries, whatever their failure type.</summary>
        public IReadOnlyList<Type> RetryableExceptions => _exceptions;

        /// <summary>Which kind of failure <paramref name="error"/> is.</summary>
        public RunErrorType TypeOf(Exception error)
        {
            if (_typeOf?.Invoke(error) is RunErrorType given)
            {
                return given;
            }

            return DefaultTypeOf(error);
        }

        /// <summary>The built-in reading: a <see cref="TypedFailureException"/> says so; timeouts, cancellations and I/O by their exception type.</summary>
        public static RunErrorType DefaultTypeOf(Exception error)
        {
            for (Exception? e = error; e != null; e = e.InnerException)
            {
                switch (e)
                {
                    case TypedFailureException typed:
                        return typed.Type;
                    case TimeoutException _:
                        return RunErrorType.Timeout;
                    case OperationCanceledException _:
                        return RunErrorType.Cancelled;
                    case IOException _:
                    case System.Net.Sockets.SocketException _:
                    case System.Net.WebException _:
                    case System.Net.Http.HttpRequestException _:
                        return RunErrorType.InfrastructureError;
                }
            }

            return RunErrorType.Unknown;
        }

        /// <summary>Whether <paramref name="error"/>, of <paramref name="type"/>, gets another attempt.</summary>
        public bool IsRetryable(Exception error, RunErrorType type)
        {
            if (NeverRetried.Contains(type))
            {
                return false;
            }

            if (_types.Contains(type))
            {
                return true;
            }

            // The exception or one it wraps: hosts such as PowerShell wrap what a script threw.
            for (Exception? e = error; e != null; e = e.InnerException)
            {
                Type actual = e.GetType();
                if (_exceptions.Any(t => t.IsAssignableFrom(actual)))
                {
                    return true;
                }
            }

            return _predicate != null && _predicate(error, type);
        }
    }
}
