# Records what the Elixir exercise's exemplar answers to random operation sequences, as JSON
# lines that tests/js/machine/traces.test.mjs replays against the Machine.
#
#   elixir scripts/traces/record.exs <exercise dir> <out file>
#
# <exercise dir> is exercises/concept/take-a-number-deluxe of exercism/elixir: the exemplar
# (.meta/exemplar.ex) and the two modules it uses (lib/take_a_number_deluxe/queue.ex and
# state.ex) are loaded from there; nothing of them is kept in this repository.
#
# One line per trace, after a first line that says where the traces come from:
#
#   {"trace": 7, "options": {...}, "start": "ok", "steps": [[op, arg, result], ...]}
#
# - options: the keyword list given to start_link; a key left out is absent. Integers are JSON
#   numbers, nil is null, other terms are tagged: {"atom": "infinity"}, {"string": "x"},
#   {"float": "1.5"}.
# - start: "ok", or {"error": "invalid_configuration"} (then there are no steps).
# - steps, each [op, arg, result], op named for the exemplar's function:
#   ["queue", null, {"ok": n} | {"error": atom}]                  queue_new_number
#   ["serve", null | n, {"ok": n} | {"error": atom}]              serve_next_queued_number
#   ["reset", null, "ok"]                                         reset_state (a cast)
#   ["report", null, {"min_number", "max_number", "queue" (front first),
#                     "auto_shutdown_timeout"}]                   report_state
#   ["send", message, "ok"]           send/2 (message tagged as options' terms are)
#   ["await_exit", null, {"exit": reason}]   the process's end, waited for up to 10 s
#   a call to a process that has ended answers {"exit": "noproc"}.

defmodule Traces.Json do
  @moduledoc false

  # JSON for the values the traces hold: maps with string keys, lists, integers, strings,
  # booleans and nil. Elixir 1.14 has no JSON module of its own.
  def encode(nil), do: "null"
  def encode(true), do: "true"
  def encode(false), do: "false"
  def encode(n) when is_integer(n), do: Integer.to_string(n)
  def encode(s) when is_binary(s), do: "\"" <> escape(s) <> "\""
  def encode(list) when is_list(list), do: "[" <> Enum.map_join(list, ",", &encode/1) <> "]"

  def encode(%{} = map) do
    "{" <> Enum.map_join(map, ",", fn {k, v} -> encode(k) <> ":" <> encode(v) end) <> "}"
  end

  defp escape(s) do
    for <<c::utf8 <- s>>, into: "" do
      case c do
        ?" -> "\\\""
        ?\\ -> "\\\\"
        c when c < 0x20 -> "\\u" <> String.pad_leading(Integer.to_string(c, 16), 4, "0")
        c -> <<c::utf8>>
      end
    end
  end

  # An Elixir term given to the exemplar (an option, a message), tagged where JSON has no
  # equivalent.
  def term(n) when is_integer(n), do: n
  def term(nil), do: nil
  def term(a) when is_atom(a), do: %{"atom" => Atom.to_string(a)}
  def term(s) when is_binary(s), do: %{"string" => s}
  def term(f) when is_float(f), do: %{"float" => Float.to_string(f)}
  def term(list) when is_list(list), do: Enum.map(list, &term/1)
  def term(t) when is_tuple(t), do: %{"tuple" => t |> Tuple.to_list() |> Enum.map(&term/1)}
end

defmodule Traces.Recorder do
  @moduledoc false

  @seed {2026, 12, 5}
  @max_safe 9_007_199_254_740_991
  # The longest timeout a receive takes (about 49.7 days); longer ones crash the process.
  @max_timeout 4_294_967_295

  def main([exercise_dir, out_file]) do
    for file <- [
          "lib/take_a_number_deluxe/queue.ex",
          "lib/take_a_number_deluxe/state.ex",
          ".meta/exemplar.ex"
        ] do
      Code.require_file(Path.join(exercise_dir, file))
    end

    # start_link links; a refused start would take the recorder down with it.
    Process.flag(:trap_exit, true)
    :rand.seed(:exsss, @seed)

    header = %{
      "source" => "exercism/elixir exercises/concept/take-a-number-deluxe/.meta/exemplar.ex",
      "recorded_with" => "Elixir #{System.version()}, OTP #{System.otp_release()}",
      "seed" => Tuple.to_list(@seed)
    }

    lines =
      plans()
      |> Enum.with_index(1)
      |> Enum.map(fn {plan, i} -> Traces.Json.encode(Map.put(run(plan), "trace", i)) end)

    File.write!(out_file, Enum.map_join([Traces.Json.encode(header) | lines], "", &(&1 <> "\n")))
    IO.puts("#{length(lines)} traces written to #{out_file}")
  end

  def main(_) do
    IO.puts(:stderr, "usage: elixir scripts/traces/record.exs <exercise dir> <out file>")
    System.halt(2)
  end

  # What to run: fixed start refusals, idle shutdowns, then random sequences over ranges chosen
  # at random from several kinds.
  defp plans do
    refusals() ++ idle() ++ Enum.map(1..280, fn _ -> random_plan() end)
  end

  defp refusals do
    [
      [min_number: 999, max_number: 99],
      [min_number: 5, max_number: 5],
      [min_number: 6, max_number: 5],
      [min_number: :not_a_number, max_number: 99],
      [min_number: 1, max_number: "not a number"],
      [min_number: 1.5, max_number: 10],
      [min_number: 1, max_number: 10.5],
      [min_number: nil, max_number: 10],
      [max_number: 10],
      [min_number: 1],
      [],
      [min_number: 1, max_number: 10, auto_shutdown_timeout: -1],
      [min_number: 1, max_number: 10, auto_shutdown_timeout: -60_000],
      [min_number: 1, max_number: 10, auto_shutdown_timeout: 1.5],
      [min_number: 1, max_number: 10, auto_shutdown_timeout: nil],
      [min_number: 1, max_number: 10, auto_shutdown_timeout: :never],
      [min_number: 1, max_number: 10, auto_shutdown_timeout: "1000"],
      [min_number: -5, max_number: -6],
      [min_number: @max_safe, max_number: @max_safe - 1]
    ]
    |> Enum.map(&{&1, []})
  end

  # Short timeouts: the process ends by itself with :normal, after a few steps or none.
  defp idle do
    [
      {[min_number: 1, max_number: 10, auto_shutdown_timeout: 0], [:await_exit]},
      {[min_number: 1, max_number: 10, auto_shutdown_timeout: 1], [:await_exit]},
      {[min_number: 1, max_number: 3, auto_shutdown_timeout: 50], [:await_exit]},
      {[min_number: 1, max_number: 3, auto_shutdown_timeout: 500],
       [:queue, :queue, :report, {:serve, nil}, :await_exit]},
      {[min_number: 10, max_number: 20, auto_shutdown_timeout: 500],
       [:queue, {:send, :hello}, :reset, :report, :await_exit]}
    ] ++ quirks()
  end

  # Where the exemplar's runtime shows through (docs/testing.md): a :timeout sent by hand is
  # taken for the idle timeout, a timeout the start accepts but receive cannot wait for, numbers
  # just past the safe integers (the Machine's numbers are JS numbers), and a float that JS
  # cannot tell from an integer.
  defp quirks do
    [
      {[min_number: @max_safe, max_number: @max_safe + 1], [:queue, :report]},
      {[min_number: 1.0, max_number: 10], []},
      {[min_number: 1, max_number: 10], [:queue, {:send, :timeout}, :queue]},
      {[min_number: @max_safe - 3, max_number: @max_safe],
       [:queue, :queue, {:serve, @max_safe + 1}, {:serve, -@max_safe - 1}, :report]},
      {[min_number: 1, max_number: 10, auto_shutdown_timeout: @max_timeout + 1], [:await_exit]},
      {[min_number: 1, max_number: 10, auto_shutdown_timeout: @max_safe], [:await_exit]}
    ]
  end

  defp random_plan do
    {min, max} = random_range()

    timeout = Enum.random([:default, :default, :infinity, 60_000, 3_600_000, @max_timeout])

    options =
      case timeout do
        :default -> [min_number: min, max_number: max]
        t -> [min_number: min, max_number: max, auto_shutdown_timeout: t]
      end

    options = if :rand.uniform(4) == 1, do: Enum.reverse(options), else: options
    {options, {:random, 5 + :rand.uniform(35)}}
  end

  defp random_range do
    case :rand.uniform(8) do
      # min and max next to each other, or nearly
      1 -> base() |> then(&{&1, &1 + :rand.uniform(2)})
      # small ranges, the usual case
      2 -> base() |> then(&{&1, &1 + 2 + :rand.uniform(6)})
      3 -> {1, 2 + :rand.uniform(8)}
      4 -> base() |> then(&{&1, &1 + 9 + :rand.uniform(20)})
      # negative numbers and zero
      5 -> {-:rand.uniform(5), :rand.uniform(5) - 1}
      # the edges of the safe integers
      6 -> {@max_safe - 3 - :rand.uniform(4), @max_safe}
      7 -> {-@max_safe, -@max_safe + 2 + :rand.uniform(4)}
      # the exercise's own ranges: the full range is out of reach, the start of it is not
      8 -> Enum.random([{1, 99}, {4, 55}, {100, 999}, {1, 999}])
    end
  end

  defp base, do: :rand.uniform(21) - 11

  defp run({options, steps}) do
    trace = %{
      "options" => options |> Map.new(fn {k, v} -> {Atom.to_string(k), Traces.Json.term(v)} end)
    }

    case TakeANumberDeluxe.start_link(options) do
      {:error, reason} ->
        flush_exits()
        Map.merge(trace, %{"start" => %{"error" => Atom.to_string(reason)}, "steps" => []})

      {:ok, pid} ->
        min = options[:min_number]
        max = options[:max_number]
        done = steps(pid, {min, max}, steps)
        if Process.alive?(pid), do: GenServer.stop(pid)
        flush_exits()
        Map.merge(trace, %{"start" => "ok", "steps" => done})
    end
  end

  # Fixed steps, or n random ones. The random steps know the queue only from what the
  # exemplar answered: each number it handed out and has not served since.
  defp steps(pid, _range, fixed) when is_list(fixed) do
    Enum.map(fixed, &step(pid, &1))
  end

  defp steps(pid, range, {:random, n}) do
    {steps, _queue} =
      Enum.map_reduce(1..n, [], fn _, queue ->
        op = random_op(range, queue)
        [_, _, result] = recorded = step(pid, op)
        {recorded, follow(op, result, queue)}
      end)

    steps
  end

  defp random_op({min, max}, queue) do
    case :rand.uniform(100) do
      r when r <= 45 -> :queue
      r when r <= 65 -> {:serve, nil}
      r when r <= 80 -> {:serve, priority({min, max}, queue)}
      r when r <= 86 -> :report
      r when r <= 90 -> :reset
      _ -> {:send, Enum.random(messages())}
    end
  end

  # A number in the queue, one of the range that is not, or one outside the range; all of them
  # safe integers (one trace of quirks/0 tries the numbers past them).
  defp priority({min, max}, queue) do
    case :rand.uniform(4) do
      n when n <= 2 and queue != [] ->
        Enum.random(queue)

      3 ->
        [min - 1, max + 1, min, max, 0] |> Enum.filter(&(abs(&1) <= @max_safe)) |> Enum.random()

      _ ->
        min + :rand.uniform(max - min + 1) - 1
    end
  end

  # Messages the machine was not made for (:timeout is in quirks/0).
  defp messages do
    [
      :hello,
      :queue_new_number,
      :reset_state,
      :report_state,
      {:serve_next_queued_number, 1},
      {:queue_new_number},
      "a string",
      42,
      [1, 2, 3],
      []
    ]
  end

  defp follow(:queue, %{"ok" => n}, queue), do: queue ++ [n]
  defp follow({:serve, _}, %{"ok" => n}, queue), do: List.delete(queue, n)
  defp follow(:reset, _, _queue), do: []
  defp follow(_, _, queue), do: queue

  defp step(pid, :queue),
    do: ["queue", nil, call(fn -> TakeANumberDeluxe.queue_new_number(pid) end)]

  defp step(pid, {:serve, nil}),
    do: ["serve", nil, call(fn -> TakeANumberDeluxe.serve_next_queued_number(pid) end)]

  defp step(pid, {:serve, p}),
    do: ["serve", p, call(fn -> TakeANumberDeluxe.serve_next_queued_number(pid, p) end)]

  defp step(pid, :reset),
    do: ["reset", nil, Atom.to_string(TakeANumberDeluxe.reset_state(pid))]

  defp step(pid, :report), do: ["report", nil, call(fn -> report(pid) end)]

  defp step(pid, {:send, message}) do
    send(pid, message)
    ["send", Traces.Json.term(message), "ok"]
  end

  # Linked and trapping exits, the recorder hears of the end even if it came before this step.
  defp step(pid, :await_exit) do
    receive do
      {:EXIT, ^pid, reason} -> ["await_exit", nil, %{"exit" => exit_reason(reason)}]
    after
      10_000 -> ["await_exit", nil, %{"exit" => "still running after 10 s"}]
    end
  end

  defp exit_reason(reason) when is_atom(reason), do: Atom.to_string(reason)
  # A crash's reason without its stack trace, which names lines of OTP.
  defp exit_reason({reason, stack}) when is_atom(reason) and is_list(stack),
    do: Atom.to_string(reason)

  defp exit_reason(reason), do: inspect(reason)

  defp report(pid) do
    state = TakeANumberDeluxe.report_state(pid)

    %{
      "min_number" => state.min_number,
      "max_number" => state.max_number,
      "queue" => TakeANumberDeluxe.Queue.to_list(state.queue),
      "auto_shutdown_timeout" => Traces.Json.term(state.auto_shutdown_timeout)
    }
  end

  defp call(fun) do
    case fun.() do
      {:ok, n} -> %{"ok" => n}
      {:error, reason} -> %{"error" => Atom.to_string(reason)}
      %{} = state -> state
    end
  catch
    :exit, {reason, {GenServer, :call, _}} when reason in [:noproc, :normal] ->
      %{"exit" => "noproc"}
  end

  defp flush_exits do
    receive do
      {:EXIT, _, _} -> flush_exits()
    after
      0 -> :ok
    end
  end
end

Traces.Recorder.main(System.argv())
