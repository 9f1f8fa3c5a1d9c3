package dev.readyroom.live.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts that make a room change atomic. They only compare and store: the rules run in
 * Java. Keys of one room are passed in the order of {@link RedisKeys#all}.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    /**
     * Runs {@code script} by its SHA-1; when Redis does not have it (it restarted, or its scripts
     * were flushed), by its text, which loads it again. Arguments are strings, or bytes (a room's
     * state, serialized straight to UTF-8).
     */
    static Uni<Response> run(Redis redis, Script script, List<String> keys, Object... args) {
        return redis.send(call(Command.EVALSHA, script.sha1(), keys, args))
                .onFailure(RedisScripts::scriptMissing)
                .recoverWithUni(() -> redis.send(call(Command.EVAL, script.body(), keys, args)));
    }

    /**
     * {@link #run}, followed on the same connection by {@code WAIT replicas timeout}, sent together
     * (one round trip, which returns once the replicas have the script's writes or the time is up).
     */
    static Uni<Waited> runAndWait(Redis redis, Script script, List<String> keys, int replicas, long timeoutMillis,
            Object... args) {
        Request wait = Request.cmd(Command.WAIT).arg(replicas).arg(timeoutMillis);
        return redis.batch(List.of(call(Command.EVALSHA, script.sha1(), keys, args), wait))
                .onFailure(RedisScripts::scriptMissing)
                .recoverWithUni(() -> redis.batch(List.of(call(Command.EVAL, script.body(), keys, args), wait)))
                .map(replies -> new Waited(replies.get(0), replies.get(1).toInteger()));
    }

    /** A script's reply, and how many replicas acknowledged its writes. */
    record Waited(Response reply, int replicas) {
    }

    private static Request call(Command command, String script, List<String> keys, Object... args) {
        Request call = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(call::arg);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                call.arg(bytes);
            } else {
                call.arg((String) arg);
            }
        }
        return call;
    }

    private static boolean scriptMissing(Throwable failure) {
        String message = failure.getMessage();
        // A batch's error names the failed command first ("ERR [0] NOSCRIPT ...").
        return message != null && (message.startsWith("NOSCRIPT") || message.contains("] NOSCRIPT"));
    }

    /** A script and its SHA-1, by which Redis runs it without receiving and hashing its text again. */
    record Script(String body, String sha1) {
        static Script of(String body) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
                return new Script(body, HexFormat.of().formatHex(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every Java runtime has SHA-1", e);
            }
        }
    }

    /**
     * Commits one change: ARGV as {@link CommitRequest#argv} lays it out. Answers (see
     * {@link ScriptReply}) {@code {'committed', version, unlisted}}; or, changing nothing, {@code {'answered',
     * reply}} if the opKey was answered already, {@code {'room', epoch, version, state, itemsAt,
     * items}} if the room is at another epoch or version (items false when the caller holds that
     * backlog version of that epoch), {@code {'gone'}} if Redis does not have the room. The backlog
     * is stored apart with the version that last changed it, so a vote neither sends nor rewrites
     * it. The kept events are bounded in count and bytes ({@code eventBytes} counts what the stream
     * holds; the oldest go first, the newest always stays), the replies hash rotates once past its
     * count or bytes ({@code replyBytes}), so a room holds at most twice the reply bound. The record outbox entry is written in the same script, so a node that dies right after a
     * commit loses nothing the record needs. On one Redis the outbox is one stream for all
     * rooms and the event goes out with PUBLISH; on a Redis Cluster (ARGV[19] {@code SPUBLISH}) both
     * are in the room's hash slot, the slot's outbox stream and the room's sharded channel, and
     * {@code unlisted} is 1 when the slot's stream is not yet listed for the consumers (ARGV[20],
     * its marker, is missing). On a Redis Cluster (ARGV[21] set) the room also keeps the
     * replication id of the master that last changed it ({@code history}): a room last changed on
     * another history (its master failed over, and a change acknowledged there may not have reached
     * this one) gets a new epoch, derived from both, before anything else, so every client starts
     * over from a snapshot and no node commits on a copy that holds a lost change.
     */
    static final Script COMMIT = Script.of("""
            if ARGV[6] ~= '' then
              local reply = redis.call('HGET', KEYS[3], ARGV[6]) or redis.call('HGET', KEYS[4], ARGV[6])
              if reply then
                -- A write, so that the WAIT after this script waits for the replicas to have the answer's change.
                if ARGV[22] ~= '' then for i = 3, 4 do redis.call('EXPIRE', KEYS[i], ARGV[8]) end end
                return {'answered', reply}
              end
            end
            local room = redis.call('HMGET', KEYS[1], 'epoch', 'version', 'itemsAt', 'history')
            if not room[1] then return {'gone'} end
            if ARGV[21] ~= '' then
              local history = string.match(redis.call('INFO', 'replication'), 'master_replid:(%x+)')
              if room[4] ~= history then
                if room[4] then
                  room[1] = string.sub(redis.sha1hex(room[1] .. history), 1, 8)
                  redis.call('HSET', KEYS[1], 'epoch', room[1])
                end
                redis.call('HSET', KEYS[1], 'history', history)
              end
            end
            if room[1] ~= ARGV[1] or tonumber(room[2]) ~= tonumber(ARGV[2]) then
              local items = false
              if room[3] and (room[1] ~= ARGV[1] or room[3] ~= ARGV[16]) then
                items = redis.call('HGET', KEYS[1], 'items')
              end
              return {'room', room[1], room[2], redis.call('HGET', KEYS[1], 'state'), room[3] or false, items}
            end
            local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
            redis.call('HSET', KEYS[1], 'state', ARGV[3])
            if ARGV[15] ~= '' then
              redis.call('HSET', KEYS[1], 'items', ARGV[15], 'itemsAt', version)
            end
            redis.call('XADD', KEYS[2], string.format('%d-0', version), 'm', ARGV[4])
            local eventBytes = redis.call('HINCRBY', KEYS[1], 'eventBytes', #ARGV[4])
            local eventCount = redis.call('XLEN', KEYS[2])
            while eventCount > 1 and (eventCount > tonumber(ARGV[9]) or eventBytes > tonumber(ARGV[17])) do
              local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
              redis.call('XDEL', KEYS[2], oldest[1])
              eventBytes = redis.call('HINCRBY', KEYS[1], 'eventBytes', -#oldest[2][2])
              eventCount = eventCount - 1
            end
            -- A stream an older node kept without counting its bytes: counted from here on.
            if eventBytes < 0 then redis.call('HSET', KEYS[1], 'eventBytes', 0) end
            if ARGV[6] ~= '' then
              redis.call('HSET', KEYS[3], ARGV[6], ARGV[7])
              local replyBytes = redis.call('HINCRBY', KEYS[1], 'replyBytes', #ARGV[6] + #ARGV[7])
              if redis.call('HLEN', KEYS[3]) > tonumber(ARGV[10]) or replyBytes > tonumber(ARGV[18]) then
                redis.call('RENAME', KEYS[3], KEYS[4])
                redis.call('HSET', KEYS[1], 'replyBytes', 0)
              end
            end
            local unlisted = 0
            if ARGV[11] ~= '' then
              redis.call('XADD', ARGV[11], 'MAXLEN', '~', 1000000, '*', 'room', ARGV[12], 'epoch', ARGV[1],
                'version', version, 'type', ARGV[13], 'json', ARGV[14])
              if ARGV[20] ~= '' and redis.call('EXISTS', ARGV[20]) == 0 then unlisted = 1 end
            end
            for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ARGV[8]) end
            redis.call(ARGV[19], ARGV[5], ARGV[4])
            return {'committed', version, unlisted}
            """);

    /**
     * ARGV: epoch, version, state JSON (without the backlog), ttl seconds, backlog JSON. Returns 1,
     * or 0 if the room exists.
     */
    static final Script CREATE = Script.of("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
            redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'version', ARGV[2], 'state', ARGV[3], 'items', ARGV[5],
              'itemsAt', ARGV[2], 'eventBytes', 0, 'replyBytes', 0)
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            return 1
            """);

    /**
     * ARGV: epoch, after version, max count. Returns the packed events after the version, oldest
     * first, or nil when the room, the epoch or the first missed event is no longer there.
     */
    static final Script EVENTS_AFTER = Script.of("""
            local room = redis.call('HMGET', KEYS[1], 'epoch', 'version')
            if not room[1] or room[1] ~= ARGV[1] then return false end
            local after = tonumber(ARGV[2])
            local version = tonumber(room[2])
            if after > version then return false end
            if after == version then return {} end
            local entries = redis.call('XRANGE', KEYS[2], string.format('%d-0', after + 1), '+', 'COUNT', ARGV[3])
            if #entries == 0 or tonumber(string.match(entries[1][1], '^(%d+)')) ~= after + 1 then return false end
            local out = {}
            for i, entry in ipairs(entries) do out[i] = entry[2][2] end
            return out
            """);

    /**
     * ARGV: opKey, the epoch, version and backlog version this node holds ("" for none). Answers
     * (see {@link ScriptReply}) {@code {'answered', reply}} if the opKey was answered already; else
     * {@code {'current', epoch, version}} when the node holds that epoch and version, {@code
     * {'room', epoch, version, state, itemsAt, items}} (items false when the node holds that
     * backlog version of that epoch), or {@code {'gone'}}: a command's two reads in one round trip,
     * and each part shipped only when it changed elsewhere.
     */
    static final Script REPLY_OR_ROOM = Script.of("""
            local reply = redis.call('HGET', KEYS[3], ARGV[1]) or redis.call('HGET', KEYS[4], ARGV[1])
            if reply then return {'answered', reply} end
            local room = redis.call('HMGET', KEYS[1], 'epoch', 'version', 'itemsAt')
            if not room[1] then return {'gone'} end
            if room[1] == ARGV[2] and room[2] == ARGV[3] then return {'current', room[1], room[2]} end
            local items = false
            if room[3] and (room[1] ~= ARGV[2] or room[3] ~= ARGV[4]) then
              items = redis.call('HGET', KEYS[1], 'items')
            end
            return {'room', room[1], room[2], redis.call('HGET', KEYS[1], 'state'), room[3] or false, items}
            """);

    /**
     * A command refused on the node's copy of the room. ARGV: opKey, reply, ttl seconds, replies
     * kept, reply bytes kept, then the epoch, version and backlog version of the copy. Keeps the
     * reply (answers {@code {'remembered'}}) only if the room is still at that epoch and version;
     * otherwise changes nothing and answers as {@link #COMMIT} does on a conflict ({@code answered},
     * {@code room} or {@code gone}), so the node decides again without another read.
     */
    static final Script REMEMBER_IF_CURRENT = Script.of("""
            local reply = redis.call('HGET', KEYS[3], ARGV[1]) or redis.call('HGET', KEYS[4], ARGV[1])
            if reply then return {'answered', reply} end
            local room = redis.call('HMGET', KEYS[1], 'epoch', 'version', 'itemsAt')
            if not room[1] then return {'gone'} end
            if room[1] ~= ARGV[6] or tonumber(room[2]) ~= tonumber(ARGV[7]) then
              local items = false
              if room[3] and (room[1] ~= ARGV[6] or room[3] ~= ARGV[8]) then
                items = redis.call('HGET', KEYS[1], 'items')
              end
              return {'room', room[1], room[2], redis.call('HGET', KEYS[1], 'state'), room[3] or false, items}
            end
            redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
            local replyBytes = redis.call('HINCRBY', KEYS[1], 'replyBytes', #ARGV[1] + #ARGV[2])
            if redis.call('HLEN', KEYS[3]) > tonumber(ARGV[4]) or replyBytes > tonumber(ARGV[5]) then
              redis.call('RENAME', KEYS[3], KEYS[4])
              redis.call('HSET', KEYS[1], 'replyBytes', 0)
            end
            for i = 3, 4 do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
            return {'remembered'}
            """);

    /** ARGV: opKey, reply, ttl seconds, replies kept, reply bytes kept (as {@link #COMMIT} keeps them). */
    static final Script REMEMBER = Script.of("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
            local replyBytes = redis.call('HINCRBY', KEYS[1], 'replyBytes', #ARGV[1] + #ARGV[2])
            if redis.call('HLEN', KEYS[3]) > tonumber(ARGV[4]) or replyBytes > tonumber(ARGV[5]) then
              redis.call('RENAME', KEYS[3], KEYS[4])
              redis.call('HSET', KEYS[1], 'replyBytes', 0)
            end
            for i = 3, 4 do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
            return 1
            """);
}
