"""The ``?limit=&cursor=`` query parameters of every list."""

from typing import Annotated

from fastapi import Query

Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Cursor = Annotated[str | None, Query(max_length=64, description="the `next` of the previous page")]
