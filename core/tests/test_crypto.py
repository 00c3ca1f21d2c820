import hashlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from core import crypto


def test_sm3_known_answer():
    assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert "sm3" in hashlib.algorithms_available


def test_sm4_known_answer_ecb():
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (enc.update(key) + enc.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_gcm_round_trip_and_random_nonce():
    a = crypto.sm4_gcm_encrypt("500101199001011234")
    b = crypto.sm4_gcm_encrypt("500101199001011234")
    assert a != b and a.startswith(crypto.PREFIX)
    assert crypto.sm4_gcm_decrypt(a) == "500101199001011234"


def test_blind_index_normalises():
    assert crypto.blind_index("138 0000 1111") == crypto.blind_index("13800001111")
    assert crypto.blind_index("") == ""


def test_masks():
    assert crypto.mask_phone("13800001111") == "138****1111"
    assert crypto.mask_id_number("500101199001011234") == "5****************4"
    assert crypto.mask_name("张三") == "张某"
    assert crypto.mask_address("重庆市万州区瀼渡镇某村3组") .endswith("****")
