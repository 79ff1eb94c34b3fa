package org.orbis.world.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.access.AccessStore.NewSession;
import org.orbis.world.access.AccessStore.NewToken;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestClock;

/** What the user, token and session storage promises, run once per database backend. */
abstract class AccessStoreContract {

    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Duration ABSOLUTE = Duration.ofHours(12);

    Database database;
    TestClock clock;
    AccessStore store;

    abstract DatabaseSettings settings();

    @BeforeEach
    void open() {
        database = Database.open(settings());
        clock = TestClock.atNow();
        store = new AccessStore(database, clock);
        store.createUser("alice", Role.ADMIN, "{test}alice-hash");
        store.createUser("vera", Role.VIEWER, "{test}vera-hash");
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void usersAreStoredWithTheirRoleAndHashAndNamesAreUnique() {
        assertThat(store.user("alice")).get().satisfies(user -> {
            assertThat(user.role()).isEqualTo(Role.ADMIN);
            assertThat(user.passwordHash()).isEqualTo("{test}alice-hash");
            assertThat(user.toString()).doesNotContain("hash");
        });
        assertThatThrownBy(() -> store.createUser("alice", Role.VIEWER, "x")).isInstanceOf(DuplicateUserException.class);
        assertThatThrownBy(() -> store.createUser("bad name", Role.VIEWER, "x"))
                .hasMessageContaining("not valid");
        assertThat(store.users()).extracting(User::username).containsExactly("alice", "vera");
        assertThat(store.countActiveAdmins()).isEqualTo(1);
    }

    @Test
    void aTokenIsFoundByItsSecretOnlyAndStopsWorkingWhenRevokedExpiredOrItsUserIsDisabled() {
        NewToken token = store.createToken("vera", "export", Role.VIEWER, clock.instant().plus(Duration.ofDays(1)));
        assertThat(token.secret()).startsWith(AccessStore.TOKEN_PREFIX).hasSizeGreaterThan(40);
        assertThat(token.toString()).doesNotContain(token.secret());
        assertThat(store.tokenBySecret(token.secret())).get().satisfies(grant -> {
            assertThat(grant.user().username()).isEqualTo("vera");
            assertThat(grant.token().name()).isEqualTo("export");
        });
        assertThat(store.tokenBySecret(token.secret() + "x")).isEmpty();
        assertThat(store.tokenBySecret(null)).isEmpty();

        store.setDisabled("vera", true);
        assertThat(store.tokenBySecret(token.secret())).as("user disabled").isEmpty();
        store.setDisabled("vera", false);
        assertThat(store.tokenBySecret(token.secret())).isPresent();

        clock.advance(Duration.ofDays(2));
        assertThat(store.tokenBySecret(token.secret())).as("expired").isEmpty();

        NewToken other = store.createToken("vera", "script", Role.VIEWER, null);
        assertThat(store.revokeToken(other.token().id())).isTrue();
        assertThat(store.revokeToken(other.token().id())).as("revoked once").isFalse();
        assertThat(store.tokenBySecret(other.secret())).as("revoked").isEmpty();
        assertThat(store.tokens("vera")).hasSize(2);
    }

    @Test
    void aSessionEndsWhenIdleAtItsAbsoluteEndOnSignOutAndWhenThePasswordChanges() {
        NewSession session = store.createSession("alice", IDLE, ABSOLUTE);
        assertThat(store.sessionByCookie(session.cookieValue())).get()
                .satisfies(grant -> assertThat(grant.session().csrfToken()).hasSizeGreaterThan(40));
        assertThat(session.session().idHash()).isNotEqualTo(session.cookieValue());

        clock.advance(IDLE.minusMinutes(1));
        store.touchSession(session.session(), IDLE, ABSOLUTE);
        clock.advance(IDLE.minusMinutes(1));
        assertThat(store.sessionByCookie(session.cookieValue())).as("kept alive by use").isPresent();
        clock.advance(Duration.ofMinutes(2));
        assertThat(store.sessionByCookie(session.cookieValue())).as("idle too long").isEmpty();

        NewSession busy = store.createSession("alice", IDLE, ABSOLUTE);
        for (int i = 0; i < 25; i++) {
            clock.advance(Duration.ofMinutes(29));
            store.sessionByCookie(busy.cookieValue()).ifPresent(grant ->
                    store.touchSession(grant.session(), IDLE, ABSOLUTE));
        }
        assertThat(store.sessionByCookie(busy.cookieValue())).as("past the absolute lifetime").isEmpty();
        assertThat(store.purgeExpiredSessions()).as("both ended sessions purged").isEqualTo(2);

        NewSession signedOut = store.createSession("alice", IDLE, ABSOLUTE);
        assertThat(store.deleteSession(signedOut.session().idHash())).isTrue();
        assertThat(store.sessionByCookie(signedOut.cookieValue())).isEmpty();

        NewSession beforeReset = store.createSession("alice", IDLE, ABSOLUTE);
        store.setPasswordHash("alice", "{test}new-hash");
        assertThat(store.sessionByCookie(beforeReset.cookieValue())).isEmpty();
    }

    @Test
    void deletingAUserRemovesTheirTokensAndSessions() {
        NewToken token = store.createToken("vera", "export", Role.VIEWER, null);
        NewSession session = store.createSession("vera", IDLE, ABSOLUTE);
        assertThat(store.deleteUser("vera")).isTrue();
        assertThat(store.tokenBySecret(token.secret())).isEmpty();
        assertThat(store.sessionByCookie(session.cookieValue())).isEmpty();
        assertThat(store.tokens(null)).isEmpty();
    }
}
