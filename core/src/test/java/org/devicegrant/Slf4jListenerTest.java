package org.devicegrant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.devicegrant.TestGrants.START;
import static org.devicegrant.TestGrants.TENANT;
import static org.devicegrant.TestGrants.error;
import static org.devicegrant.TestGrants.poll;

/**
 * The default listener's log lines: an attack that makes the same security event thousands of
 * times writes a bounded number of lines, while a host listener still hears every event.
 */
class Slf4jListenerTest {

    private static final String EVENTS_LOGGER = "org.devicegrant.events";

    @BeforeEach
    void clearLogs() {
        CapturedLogs.clear();
    }

    @Test
    void wrongClientPollsWhenTenThousandThenOneLinePerMinuteAndTheHostHearsEveryEvent() {
        TestGrants t = new TestGrants();
        List<DeviceGrantEvent> heard = new CopyOnWriteArrayList<>();
        DeviceGrantListener logging = DeviceGrantListener.slf4j();
        DeviceGrant grant = t.grant(b -> b.hooks(Hooks.defaults().withListener(event -> {
            heard.add(event);
            logging.onEvent(event);
        })));
        TestGrants.Issued issued = TestGrants.authorize(grant, "tv", null);
        CapturedLogs.clear();

        // 10,000 polls of tv's code by other-tv, 30 ms apart: 300 s, five minutes of attack
        int polls = 10_000;
        Duration apart = Duration.ofMillis(30);
        for (int i = 0; i < polls; i++) {
            assertThat(error(poll(grant, "other-tv", issued.deviceCode()))).isEqualTo("invalid_grant");
            t.clock.advance(apart);
        }

        assertThat(heard).filteredOn(e -> e.type() == DeviceGrantEvent.Type.WRONG_CLIENT).hasSize(polls);
        List<String> lines = warnLines("WRONG_CLIENT");
        // one line per minute of attack: the first event, then the first of each later minute
        long minutes = apart.multipliedBy(polls).toMinutes();
        assertThat(lines).hasSize((int) minutes);
        long perMinute = Duration.ofMinutes(1).dividedBy(apart);
        assertThat(lines.get(0)).doesNotContain("not logged");
        assertThat(lines.subList(1, lines.size()))
                .allSatisfy(line -> assertThat(line).contains((perMinute - 1) + " similar events not logged since"));
    }

    @Test
    void defaultHooksWhenSecurityEventRepeatsThenLoggedOncePerMinute() {
        TestGrants t = new TestGrants();
        DeviceGrant grant = t.grant();
        TestGrants.Issued issued = TestGrants.authorize(grant, "tv", null);
        CapturedLogs.clear();

        for (int i = 0; i < 1_000; i++) {
            poll(grant, "other-tv", issued.deviceCode());
        }
        assertThat(warnLines("WRONG_CLIENT")).hasSize(1);

        t.clock.advance(Duration.ofMinutes(1));
        poll(grant, "other-tv", issued.deviceCode());
        assertThat(warnLines("WRONG_CLIENT")).hasSize(2)
                .last().asString().contains("999 similar events not logged since " + START);
    }

    @Test
    void onEventWhenKindsDifferThenEachKindHasItsOwnAllowance() {
        DeviceGrantListener listener = DeviceGrantListener.slf4j();
        for (int i = 0; i < 100; i++) {
            listener.onEvent(event(DeviceGrantEvent.Type.WRONG_CLIENT, START));
        }
        listener.onEvent(event(DeviceGrantEvent.Type.REPLAY, START));
        listener.onEvent(event(DeviceGrantEvent.Type.LOOKUP_REFUSED, START));
        listener.onEvent(event(DeviceGrantEvent.Type.LOOKUP_REFUSED, START));

        assertThat(warnLines("WRONG_CLIENT")).hasSize(1);
        assertThat(warnLines("REPLAY")).hasSize(1);
        assertThat(warnLines("LOOKUP_REFUSED")).hasSize(1);
    }

    @Test
    void onEventWhenTimeGoesBackThenLogsAndStartsOver() {
        DeviceGrantListener listener = DeviceGrantListener.slf4j();
        listener.onEvent(event(DeviceGrantEvent.Type.REPLAY, START.plusSeconds(30)));
        listener.onEvent(event(DeviceGrantEvent.Type.REPLAY, START.plusSeconds(31)));
        // another node's clock, or a clock set back: never a silence longer than the interval
        listener.onEvent(event(DeviceGrantEvent.Type.REPLAY, START));
        listener.onEvent(event(DeviceGrantEvent.Type.REPLAY, START.plusSeconds(59)));

        List<String> lines = warnLines("REPLAY");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("1 similar events not logged since " + START.plusSeconds(30));
    }

    @Test
    void onEventWhenStateChangesThenEveryOneLoggedAtDebug() {
        DeviceGrantListener listener = DeviceGrantListener.slf4j();
        for (int i = 0; i < 10; i++) {
            listener.onEvent(event(DeviceGrantEvent.Type.POLLED, START));
        }
        assertThat(lines("DEBUG", "POLLED")).hasSize(10);
    }

    @Test
    void slf4jWhenCalledTwiceThenTwoListenersWithTheirOwnAllowance() {
        DeviceGrantListener.slf4j().onEvent(event(DeviceGrantEvent.Type.REPLAY, START));
        DeviceGrantListener.slf4j().onEvent(event(DeviceGrantEvent.Type.REPLAY, START));

        assertThat(warnLines("REPLAY")).hasSize(2);
    }

    private static DeviceGrantEvent event(DeviceGrantEvent.Type type, Instant at) {
        return new DeviceGrantEvent(type, TENANT, "authorization-1", "tv", at, "");
    }

    private static List<String> warnLines(String type) {
        return lines("WARN", type);
    }

    private static List<String> lines(String level, String type) {
        List<String> found = new ArrayList<>();
        for (String line : CapturedLogs.lines()) {
            if (line.startsWith(level + " " + EVENTS_LOGGER + " ") && line.contains("device grant " + type + " ")) {
                found.add(line);
            }
        }
        return found;
    }
}
