"""The ``cwys`` part of a resource policy: how transactions are signed there."""

from pydantic import BaseModel, ConfigDict, Field

# {field}, {field:digits}, {field:lastN}, {field:firstN} or literal digits; see docs/cwys.md.
KEYPAD_TEMPLATE = (
    r"^(\{[A-Za-z0-9_.-]{1,64}(:(digits|last[1-9][0-9]?|first[1-9][0-9]?))?\}|[0-9]+)+$"
)


class Cwys(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Set: OCRA tokens whose seed lives in a device (origin other than "generated")
    # get a challenge made of digits the user reads in the data, typed on the keypad.
    keypad_template: str | None = Field(default=None, max_length=200, pattern=KEYPAD_TEMPLATE)
