"""The unit of work: one transaction, the repositories on it, commit or roll back."""

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from watchword.store.audit import AuditRepository
from watchword.store.decisions import DecisionRepository
from watchword.store.delivery import (
    ChallengeRepository,
    ChannelConfigRepository,
    LinkCodeRepository,
    OutboxRepository,
    ReachRepository,
)
from watchword.store.directory import ResourceRepository, UserRepository
from watchword.store.hardware import BatchRepository, OrderRepository, PaymentRepository
from watchword.store.ocra_challenges import OcraChallengeRepository
from watchword.store.pacing import PacingRepository
from watchword.store.pg_fast import PgFast
from watchword.store.pins import PinRepository
from watchword.store.sealed import SealedRepository
from watchword.store.send_counters import SendCounterRepository
from watchword.store.tenants import TenantRepository
from watchword.store.tokens import TokenRepository
from watchword.store.transaction_buttons import TransactionButtonRepository
from watchword.store.transactions import TransactionRepository


class UnitOfWork:
    tenants: TenantRepository
    resources: ResourceRepository
    users: UserRepository
    tokens: TokenRepository
    audit: AuditRepository
    decisions: DecisionRepository
    batches: BatchRepository
    orders: OrderRepository
    payments: PaymentRepository
    transactions: TransactionRepository
    pins: PinRepository
    challenges: ChallengeRepository
    outbox: OutboxRepository
    channels: ChannelConfigRepository
    reach: ReachRepository
    links: LinkCodeRepository
    sealed: SealedRepository
    transaction_buttons: TransactionButtonRepository
    send_counters: SendCounterRepository
    ocra_challenges: OcraChallengeRepository
    pacing: PacingRepository

    def __init__(self, engine: AsyncEngine, autocommit: bool = False) -> None:
        self._engine = engine
        self._autocommit = autocommit
        self._conn: AsyncConnection | None = None

    @property
    def connection(self) -> AsyncConnection:
        assert self._conn is not None, "unit of work not entered"
        return self._conn

    async def __aenter__(self) -> "UnitOfWork":
        conn = await self._engine.connect()
        if self._autocommit:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
        else:
            await conn.begin()
        self._conn = conn
        self.tenants = TenantRepository(conn)
        self.resources = ResourceRepository(conn)
        self.users = UserRepository(conn)
        fast = PgFast(conn) if self._autocommit and conn.dialect.name == "postgresql" else None
        self.tokens = TokenRepository(conn, fast)
        self.audit = AuditRepository(conn)
        self.decisions = DecisionRepository(conn, self.tokens, self.audit, fast)
        self.batches = BatchRepository(conn)
        self.orders = OrderRepository(conn)
        self.payments = PaymentRepository(conn)
        self.transactions = TransactionRepository(conn)
        self.pins = PinRepository(conn)
        self.challenges = ChallengeRepository(conn)
        self.outbox = OutboxRepository(conn)
        self.channels = ChannelConfigRepository(conn)
        self.reach = ReachRepository(conn)
        self.links = LinkCodeRepository(conn)
        self.sealed = SealedRepository(conn)
        self.transaction_buttons = TransactionButtonRepository(conn)
        self.send_counters = SendCounterRepository(conn)
        self.ocra_challenges = OcraChallengeRepository(conn)
        self.pacing = PacingRepository(conn)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self.connection
        try:
            if exc_type is None:
                await conn.commit()
            else:
                await conn.rollback()
        finally:
            await conn.close()
            self._conn = None

    async def commit(self) -> None:
        """Commit what is done so far and go on in a new transaction."""
        await self.connection.commit()
        await self.connection.begin()


class Database:
    """Hands out units of work on one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def decision_uow(self) -> UnitOfWork:
        """For paths whose every write is one atomic statement (decisions.py): on
        PostgreSQL no BEGIN/COMMIT round trips; on SQLite an ordinary transaction."""
        return UnitOfWork(self.engine, autocommit=self.dialect == "postgresql")

    async def dispose(self) -> None:
        await self.engine.dispose()
