from tests.engine.numbers import answering_provider, superuser_client, upstream  # noqa: F401
