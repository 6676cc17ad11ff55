using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AgentState.Queue;
using AgentState.Stores;
using AgentState.Text;

namespace AgentState.Cli.Commands
{
    /// <summary><c>agentstate queue add|list|position|claim|renew|complete|fail</c>: the shared work queue from a shell.</summary>
    internal static class QueueCommand
    {
        public static Command Create()
        {
            var command = new Command("queue", "A durable work queue that many processes share, in a folder or a PostgreSQL database: enqueue, claim under a lease, complete or fail.");
            command.Subcommands.Add(CreateAdd());
            command.Subcommands.Add(CreateList());
            command.Subcommands.Add(CreatePosition());
            command.Subcommands.Add(CreateClaim());
            command.Subcommands.Add(CreateRenew());
            command.Subcommands.Add(CreateComplete());
            command.Subcommands.Add(CreateFail());
            return command;
        }

        /// <summary>The --queue, --store and --init options every queue command shares, and the queue they open.</summary>
        private sealed class QueueNaming
        {
            public Option<string?> QueueOption { get; } = new Option<string?>("--queue")
            {
                Description = "The queue: its folder, or a PostgreSQL connection string or URI. Default: $AGENTSTATE_QUEUE, else $AGENTSTATE_STORE when it names PostgreSQL, else ./.agentstate/queue.",
            };

            public Option<string?> StoreOption { get; } = new Option<string?>("--store")
            {
                Description = "The queue's store: a PostgreSQL connection string or URI (postgresql://user@host/db?schema=agentstate), or a queue folder; --queue's other name.",
            };

            public Option<bool> InitOption { get; } = StoreOptions.Init();

            public void AddTo(Command command)
            {
                command.Options.Add(QueueOption);
                command.Options.Add(StoreOption);
                command.Options.Add(InitOption);
            }

            public IWorkQueue Open(ParseResult parsed)
            {
                string? queue = parsed.GetValue(QueueOption), store = parsed.GetValue(StoreOption);
                if (!string.IsNullOrEmpty(queue) && !string.IsNullOrEmpty(store))
                {
                    throw new UsageException("--queue and --store both name the queue; give one of them.");
                }

                try
                {
                    // A malformed connection string is a usage error (exit 2), as a malformed path is.
                    return WorkQueues.Open(WorkQueues.Resolve(store ?? queue, Environment.CurrentDirectory), new StoreOpenOptions
                    {
                        Initialize = parsed.GetValue(InitOption) || StoreOpenOptions.InitializeFromEnvironment(),
                        Retrying = StoreOptions.TellRetry,
                    });
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException(ex.Message);
                }
            }
        }

        private static Command CreateAdd()
        {
            var id = new Argument<string?>("id") { Description = "The item's id (unique in the queue). Omit with --stdin.", Arity = ArgumentArity.ZeroOrOne };
            var payload = new Option<string>("--payload") { Description = "The payload, one JSON value (default null).", DefaultValueFactory = _ => "null" };
            var priority = new Option<int>("--priority") { Description = "0 to 999, higher claimed first (default 0)." };
            var notBefore = new Option<string?>("--not-before") { Description = "Not claimed before this ISO 8601 time." };
            var delay = new Option<double?>("--delay") { Description = "Not claimed for this many seconds." };
            var maxAttempts = new Option<int>("--max-attempts") { Description = "Claims before it becomes a dead letter (default 5).", DefaultValueFactory = _ => 5 };
            var capacity = new Option<int?>("--capacity") { Description = "Refuse to go past this many queued and claimed items." };
            var wait = new Option<double>("--wait") { Description = "With --capacity: seconds to wait for room before failing (default 0)." };
            var stdin = new Option<bool>("--stdin") { Description = "Read items as JSON lines {\"id\",\"payload\",\"priority\",\"notBefore\",\"maxAttempts\"} from stdin; print each id once it is durably queued." };
            var queue = new QueueNaming();
            var command = new Command("add", "Queue a work item; prints its id and sequence number once it is durably queued.") { id, payload, priority, notBefore, delay, maxAttempts, capacity, wait, stdin };
            queue.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                IWorkQueue q = queue.Open(parsed);
                int? limit = parsed.GetValue(capacity);
                TimeSpan waitFor = TimeSpan.FromSeconds(parsed.GetValue(wait));
                if (parsed.GetValue(stdin))
                {
                    string? line;
                    while ((line = Console.In.ReadLine()) != null)
                    {
                        if (line.Trim().Length == 0)
                        {
                            continue;
                        }

                        WorkItem added = Usage(() => q.Enqueue(DraftFromLine(line), limit, waitFor));
                        Console.Out.WriteLine(added.Id + "\t" + added.Sequence.ToString(CultureInfo.InvariantCulture));
                        Console.Out.Flush();
                    }

                    return ExitCodes.Success;
                }

                string itemId = parsed.GetValue(id) ?? throw new UsageException("give the item's id, or --stdin.");
                var draft = new WorkItemDraft(itemId, parsed.GetValue(payload)!)
                {
                    Priority = parsed.GetValue(priority),
                    MaxAttempts = parsed.GetValue(maxAttempts),
                    NotBefore = NotBefore(parsed.GetValue(notBefore), parsed.GetValue(delay)),
                };
                WorkItem item = Usage(() => q.Enqueue(draft, limit, waitFor));
                Console.Out.WriteLine(item.Id + "\t" + item.Sequence.ToString(CultureInfo.InvariantCulture));
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateList()
        {
            var state = new Option<string?>("--state") { Description = "Only items in this state." };
            state.AcceptOnlyFromAmong("queued", "claimed", "completed", "deadletter");
            var count = new Option<bool>("--count") { Description = "Print the number of items in each state instead." };
            var queue = new QueueNaming();
            var command = new Command("list", "Print the items as JSON lines, queued first in claim order, or --count them by state.") { state, count };
            queue.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                IWorkQueue q = queue.Open(parsed);
                if (parsed.GetValue(count))
                {
                    foreach (KeyValuePair<WorkItemState, int> pair in q.Count())
                    {
                        Console.Out.WriteLine(pair.Key + "\t" + pair.Value.ToString(CultureInfo.InvariantCulture));
                    }

                    return ExitCodes.Success;
                }

                WorkItemState? only = parsed.GetValue(state) is string s ? (WorkItemState)Enum.Parse(typeof(WorkItemState), s, ignoreCase: true) : (WorkItemState?)null;
                foreach (WorkItem item in q.List(only))
                {
                    Console.Out.WriteLine(Json(item));
                }

                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreatePosition()
        {
            var id = new Argument<string>("id") { Description = "The item's id." };
            var queue = new QueueNaming();
            var command = new Command("position", "Print the item's place in claim order (1 is next), or its state when it is not queued.") { id };
            queue.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                WorkItemPosition position = Usage(() => queue.Open(parsed).Position(parsed.GetValue(id)!));
                Console.Out.WriteLine(position.Position is int p ? p.ToString(CultureInfo.InvariantCulture) : position.State.ToString());
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateClaim()
        {
            var lease = new Option<double>("--lease") { Description = "Seconds the claim is held unless renewed (default 300).", DefaultValueFactory = _ => 300 };
            var wait = new Option<double>("--wait") { Description = "Seconds to wait for a due item (default 0)." };
            var holder = new Option<int?>("--holder-pid") { Description = "The process that holds the claim: when it dies the item returns. Default: the caller (this command's parent)." };
            var count = new Option<int>("--count")
            {
                Description = $"Claim up to this many due items at once, 1 to {WorkItemRules.MaxClaimCount} (default 1): one JSON line each, in claim order, each with its own lease token; fewer when fewer were due (--wait is for the first only).",
                DefaultValueFactory = _ => 1,
            };
            count.Validators.Add(result =>
            {
                // Refused while parsing, before the queue is opened: a bad count claims nothing. A value that is not a
                // number is left to the parser's own error (asking for the value would throw instead).
                if (result.Tokens.Count == 1
                    && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int asked)
                    && (asked < 1 || asked > WorkItemRules.MaxClaimCount))
                {
                    result.AddError($"--count takes 1 to {WorkItemRules.MaxClaimCount} items, not {asked}.");
                }
            });
            var loop = new Option<bool>("--loop")
            {
                Description = "Be a consumer: claim (held by this process), print the item, then read 'complete', 'fail [error]' or 'renew' from stdin, print the outcome, and claim the next; stop at end of input or when --wait passes with no item. "
                    + "With --count N: claim N at a time and settle them one by one, each printed, then its stdin line read, before the next; at end of input the batch's unsettled claims stay until their leases run out.",
            };
            var queue = new QueueNaming();
            var command = new Command("claim", "Claim the next due item (or --count of them); prints each as one JSON line with its lease token. Exit 3 when no item was due.") { lease, wait, holder, count, loop };
            queue.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                IWorkQueue q = queue.Open(parsed);
                TimeSpan leaseFor = TimeSpan.FromSeconds(parsed.GetValue(lease));
                TimeSpan waitFor = TimeSpan.FromSeconds(parsed.GetValue(wait));
                int many = parsed.GetValue(count);
                if (parsed.GetValue(loop))
                {
                    return Consume(q, leaseFor, waitFor, many);
                }

                LeaseHolder who = LeaseHolder.ForProcess(parsed.GetValue(holder) ?? ParentProcess.Id());
                IReadOnlyList<WorkItem> items = Usage(() => q.ClaimMany(who, leaseFor, many, waitFor));
                if (items.Count == 0)
                {
                    Console.Error.WriteLine($"agentstate: no item in '{q.Location}' was due.");
                    return ExitCodes.NothingToClaim;
                }

                foreach (WorkItem item in items)
                {
                    Console.Out.WriteLine(Json(item));
                }

                return ExitCodes.Success;
            }));
            return command;
        }

        /// <summary>
        /// The consumer loop: <paramref name="count"/> claims at a time, held by this process, each printed and settled by
        /// what stdin says before the next is printed.
        /// </summary>
        private static int Consume(IWorkQueue q, TimeSpan lease, TimeSpan wait, int count)
        {
            while (true)
            {
                IReadOnlyList<WorkItem> batch = q.ClaimMany(LeaseHolder.Current, lease, count, wait);
                if (batch.Count == 0)
                {
                    return ExitCodes.Success;
                }

                foreach (WorkItem item in batch)
                {
                    if (!Settle(q, item, lease))
                    {
                        return ExitCodes.Success; // The batch's unsettled claims stay until their leases run out or this process is gone.
                    }
                }
            }
        }

        /// <summary>Prints one claimed item and settles it by stdin's verb; false at end of input.</summary>
        private static bool Settle(IWorkQueue q, WorkItem item, TimeSpan lease)
        {
            Console.Out.WriteLine(Json(item));
            Console.Out.Flush();
            while (true)
            {
                string? line = Console.In.ReadLine();
                if (line == null)
                {
                    return false;
                }

                string verb = line.Split(new[] { ' ' }, 2)[0];
                string rest = line.Length > verb.Length ? line.Substring(verb.Length + 1) : string.Empty;
                if (verb == "renew")
                {
                    q.Renew(item.Id, item.LeaseToken!, lease);
                    Console.Out.WriteLine("renewed\t" + item.Id);
                    Console.Out.Flush();
                    continue;
                }

                if (verb == "complete")
                {
                    q.Complete(item.Id, item.LeaseToken!);
                    Console.Out.WriteLine("completed\t" + item.Id);
                }
                else if (verb == "fail")
                {
                    WorkItem after = q.Fail(item.Id, item.LeaseToken!, rest.Length == 0 ? "failed" : rest, TimeSpan.Zero);
                    Console.Out.WriteLine((after.State == WorkItemState.DeadLetter ? "dead\t" : "failed\t") + item.Id);
                }
                else
                {
                    throw new UsageException($"expected 'complete', 'fail [error]' or 'renew' on stdin, not '{line}'.");
                }

                Console.Out.Flush();
                return true;
            }
        }

        private static Command CreateRenew()
        {
            var id = new Argument<string>("id") { Description = "The claimed item's id." };
            var token = TokenOption();
            var lease = new Option<double>("--lease") { Description = "Seconds from now the claim is held (default 300).", DefaultValueFactory = _ => 300 };
            var queue = new QueueNaming();
            var command = new Command("renew", "Extend a claim's lease; prints the new expiry. Fails when the claim was lost.") { id, token, lease };
            queue.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                WorkItem item = Usage(() => queue.Open(parsed).Renew(parsed.GetValue(id)!, parsed.GetValue(token)!, TimeSpan.FromSeconds(parsed.GetValue(lease))));
                Console.Out.WriteLine(IsoTimestamp.Format(item.LeaseExpires!.Value));
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateComplete()
        {
            var id = new Argument<string>("id") { Description = "The claimed item's id." };
            var token = TokenOption();
            var queue = new QueueNaming();
            var command = new Command("complete", "Mark a claimed item done. Fails, changing nothing, when the claim was lost.") { id, token };
            queue.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                Usage(() => queue.Open(parsed).Complete(parsed.GetValue(id)!, parsed.GetValue(token)!));
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Command CreateFail()
        {
            var id = new Argument<string>("id") { Description = "The claimed item's id." };
            var token = TokenOption();
            var error = new Option<string>("--error") { Description = "What went wrong (kept as the item's last error).", DefaultValueFactory = _ => "failed" };
            var retryAfter = new Option<double>("--retry-after") { Description = "Seconds before it may be claimed again (default 0)." };
            var queue = new QueueNaming();
            var command = new Command("fail", "Record a claimed item's failure and return it to the queue; past its maximum of attempts it becomes a dead letter. Prints its new state.") { id, token, error, retryAfter };
            queue.AddTo(command);
            command.SetAction(parsed => CommandRunner.Run(() =>
            {
                WorkItem item = Usage(() => queue.Open(parsed).Fail(parsed.GetValue(id)!, parsed.GetValue(token)!, parsed.GetValue(error)!, TimeSpan.FromSeconds(parsed.GetValue(retryAfter))));
                Console.Out.WriteLine(item.State.ToString());
                return ExitCodes.Success;
            }));
            return command;
        }

        private static Option<string> TokenOption() => new Option<string>("--token") { Description = "The lease token the claim printed.", Required = true };

        private static DateTimeOffset? NotBefore(string? text, double? delay)
        {
            if (text != null && delay != null)
            {
                throw new UsageException("give --not-before or --delay, not both.");
            }

            if (delay != null)
            {
                return DateTimeOffset.UtcNow.AddSeconds(delay.Value);
            }

            return text == null ? (DateTimeOffset?)null : IsoTimestamp.Parse(text) ?? throw new UsageException($"--not-before '{text}' is not an ISO 8601 time.");
        }

        private static WorkItemDraft DraftFromLine(string line)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                string id = root.GetProperty("id").GetString() ?? throw new UsageException($"the line '{line}' has no id.");
                string payload = root.TryGetProperty("payload", out JsonElement p) ? p.GetRawText() : "null";
                return new WorkItemDraft(id, payload)
                {
                    Priority = root.TryGetProperty("priority", out JsonElement pr) ? pr.GetInt32() : 0,
                    MaxAttempts = root.TryGetProperty("maxAttempts", out JsonElement m) ? m.GetInt32() : 5,
                    NotBefore = root.TryGetProperty("notBefore", out JsonElement nb) ? IsoTimestamp.Parse(nb.GetString()) : null,
                };
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException)
            {
                throw new UsageException($"the line '{line}' is not a work item: {ex.Message}");
            }
        }

        private static string Json(WorkItem item)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                json.WriteString("id", item.Id);
                json.WriteString("state", item.State.ToString());
                json.WriteNumber("sequence", item.Sequence);
                json.WriteNumber("priority", item.Priority);
                json.WriteNumber("attempts", item.Attempts);
                if (item.MaxAttempts is int max)
                {
                    json.WriteNumber("maxAttempts", max);
                }

                if (item.EnqueuedAt is DateTimeOffset enqueued)
                {
                    json.WriteString("enqueuedAt", IsoTimestamp.Format(enqueued));
                }

                if (item.NotBefore is DateTimeOffset notBefore)
                {
                    json.WriteString("notBefore", IsoTimestamp.Format(notBefore));
                }

                if (item.LeaseToken != null)
                {
                    json.WriteString("leaseToken", item.LeaseToken);
                    json.WriteString("leaseExpires", IsoTimestamp.Format(item.LeaseExpires!.Value));
                    json.WriteNumber("holderPid", item.HolderProcessId!.Value);
                }

                if (item.LastError != null)
                {
                    json.WriteString("lastError", item.LastError);
                }

                if (item.PayloadJson != null)
                {
                    json.WritePropertyName("payload");
                    json.WriteRawValue(item.PayloadJson);
                }

                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>The engine's refusal of an argument is a usage error (exit 2), with its own message.</summary>
        private static T Usage<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
        }
    }
}
