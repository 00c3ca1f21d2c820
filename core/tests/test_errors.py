from core.errors import DomainError


def test_message_cites_the_article_of_a_statutory_rule():
    error = DomainError("听证申请已逾期", rule="penalty.hearing.request")
    assert str(error).startswith("听证申请已逾期（《行政处罚法》第六十四条")
    assert error.citation


def test_message_has_no_raw_code_for_a_non_statutory_rule():
    error = DomainError("编码在本镇已存在", rule="org.unique_code")
    assert str(error) == "编码在本镇已存在"
    assert error.rule == "org.unique_code" and error.citation == ""
