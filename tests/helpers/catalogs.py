"""Small catalogues for tests, written as real TOML files."""

from __future__ import annotations

from pathlib import Path

SMALL = """\
format = 1

[centre]
code = "TEST"
name = "Trung tâm Phục vụ hành chính công thử nghiệm"
name_en = "Test centre"
agency = "UBND TỈNH THỬ NGHIỆM"
agency_eid = "000.00.10.H39"
place = "Tân An"
timezone = "Asia/Ho_Chi_Minh"

[queue]
priority_policy = "{policy}"
priority_every = {every}
transfer_placement = "{placement}"

[[priority_groups]]
code = "elderly"
name = "Người cao tuổi"
name_en = "Elderly"

[[priority_groups]]
code = "disabled"
name = "Người khuyết tật"

[[sectors]]
code = "TP"
name = "Tư pháp"

[[sectors]]
code = "DD"
name = "Đất đai"

[[services]]
code = "HT"
name = "Hộ tịch"
name_en = "Civil status"
sector = "TP"
start = 2001
end = 2999

[[services]]
code = "DD"
name = "Đất đai"
name_en = "Land"
sector = "DD"
start = 1001
end = 1999

[[services]]
code = "CT"
name = "Chứng thực"
sector = "TP"
prefix = "A"

[[services]]
code = "SMALL"
name = "Dải số nhỏ"
prefix = "S"
start = 1
end = 2
daily_reset = true

[[procedures]]
code = "1.001193"
name = "Đăng ký khai sinh"
sector = "TP"
service = "HT"
processing_days = 0
cutoff = "15:00"
documents = ["Tờ khai đăng ký khai sinh", {{ name = "Giấy chứng sinh", original = 1 }}]

[[counters]]
number = 1
name = "Quầy 01"
services = ["HT"]

[[counters]]
number = 2
name = "Quầy 02"
services = ["HT", "DD"]
mode = "order"

[[counters]]
number = 3
name = "Quầy 03"
services = ["HT", "DD"]
mode = "weighted"
weights = {{ HT = 3, DD = 1 }}

[[counters]]
number = 4
name = "Quầy 04"
services = ["HT", "DD", "CT", "SMALL"]

[[counters]]
number = 5
name = "Quầy 05"
services = ["DD"]
"""


def small_catalog(
    directory: Path, *, policy: str = "strict", every: int = 3, placement: str = "keep"
) -> Path:
    path = directory / f"catalog-{policy}-{every}-{placement}.toml"
    path.write_text(SMALL.format(policy=policy, every=every, placement=placement), encoding="utf-8")
    return path
